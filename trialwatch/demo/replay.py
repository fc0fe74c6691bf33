"""A requests adapter that answers API v2 calls from bundled archived records (no network).

Mounted on the real client's Session, so the demo runs the same client, parser and store code as
a live refresh. The records are real classic XML files from two archived snapshots of the
registry (2018-05-29 and 2020-07-28), served as API v2 records through the classic reader.
`stage` picks the snapshot (0 = the oldest). A related search is answered by matching its terms
against the bundled records of that snapshot: a handful of archived records, not the registry.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from requests import PreparedRequest, Response
from requests.adapters import BaseAdapter

from trialwatch.domain.classic import read_classic_xml

DATA_DIR = Path(__file__).parent / "data"
ARCHIVE_DIR = DATA_DIR / "classic_xml"
# What a search hit carries (the API's `fields=` summary): these modules of the record.
SUMMARY_MODULES = (
    "identificationModule", "statusModule", "designModule", "sponsorCollaboratorsModule",
    "conditionsModule", "armsInterventionsModule",
)  # fmt: skip


def snapshots(archive_dir: Path = ARCHIVE_DIR) -> dict[str, list[dict[str, Any]]]:
    """{nct: [record of each snapshot, oldest first]} from the bundled classic XML files."""
    found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for path in sorted(archive_dir.glob("NCT*.xml")):
        parsed = read_classic_xml(path.read_bytes())
        found.setdefault(parsed.nct_id, []).append((parsed.snapshot_date or "", parsed.record))
    return {nct: [r for _, r in sorted(pairs, key=lambda p: p[0])] for nct, pairs in found.items()}


def snapshot_dates(archive_dir: Path = ARCHIVE_DIR) -> list[str]:
    """The bundled snapshots' dates (`<download_date>`), oldest first: stage n replays the n-th."""
    dates = {read_classic_xml(p.read_bytes()).snapshot_date for p in archive_dir.glob("NCT*.xml")}
    return sorted(d for d in dates if d)


class ReplayAdapter(BaseAdapter):
    def __init__(self, archive_dir: Path = ARCHIVE_DIR, stage: int = 0) -> None:
        super().__init__()
        self.stage = stage
        self.versions = snapshots(archive_dir)

    def current(self, nct: str) -> dict[str, Any]:
        records = self.versions[nct]
        return records[min(self.stage, len(records) - 1)]

    def send(self, request: PreparedRequest, **kwargs: Any) -> Response:  # type: ignore[override]
        url = urlsplit(request.url or "")
        params = dict(parse_qsl(url.query))
        if url.path.endswith("/version"):
            return _response(request, 200, {"apiVersion": "2.0.5", "dataTimestamp": None})
        if url.path.endswith("/studies") and "filter.ids" in params:
            wanted = params["filter.ids"].split("|")
            studies = [self.current(n) for n in wanted if n in self.versions]
            return _response(request, 200, {"studies": studies})
        if url.path.endswith("/studies"):
            records = [self.current(n) for n in sorted(self.versions)]
            hits = [r for r in records if _matches(r, params)]
            if "fields" in params:
                hits = [_summary(r) for r in hits]
            return _response(request, 200, {"studies": hits, "totalCount": len(hits)})
        return _response(
            request, 404, b"no recording for this request (offline demo)", "text/plain"
        )

    def close(self) -> None:
        pass


def _matches(record: dict[str, Any], params: dict[str, str]) -> bool:
    """Every query.* parameter finds one of its OR'ed terms in the record's matching fields."""
    proto = record.get("protocolSection", {})
    ident = proto.get("identificationModule", {})
    titles = [ident.get("briefTitle", ""), ident.get("officialTitle", "")]
    conditions = proto.get("conditionsModule", {})
    arms = proto.get("armsInterventionsModule", {})
    interventions = [
        text
        for item in arms.get("interventions", [])
        for text in [item.get("name", ""), *item.get("otherNames", [])]
    ]
    fields = {
        "query.cond": [*conditions.get("conditions", []), *conditions.get("keywords", []), *titles],
        "query.intr": [*interventions, *titles],
        "query.term": [json.dumps(record)],
    }
    for key, value in params.items():
        if key.startswith("query.") and not _any_term(value, fields.get(key, fields["query.term"])):
            return False
    return True


def _any_term(query: str, texts: list[str]) -> bool:
    haystack = _plain(" | ".join(texts))
    terms = [_plain(t.strip().strip('"')) for t in re.split(r"\s+OR\s+", query)]
    return any(term and term in haystack for term in terms)


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[-‐–]", " ", text).lower().split())


def _summary(record: dict[str, Any]) -> dict[str, Any]:
    proto = record.get("protocolSection", {})
    return {
        "protocolSection": {m: proto[m] for m in SUMMARY_MODULES if m in proto},
        "hasResults": record.get("hasResults", False),
    }


def _response(
    request: PreparedRequest, status: int, body: Any, content_type: str = "application/json"
) -> Response:
    response = Response()
    response.status_code = status
    response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response.headers["Content-Type"] = content_type
    response.url = request.url or ""
    response.request = request
    return response
