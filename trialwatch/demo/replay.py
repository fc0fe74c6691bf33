"""A requests adapter that answers API v2 calls from bundled recorded responses (no network).

Mounted on the real client's Session, so the demo runs the same client, parser and store code as
a live refresh. `stage` picks which recorded version of a study is "current" (0 = oldest).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from requests import PreparedRequest, Response
from requests.adapters import BaseAdapter

DATA_DIR = Path(__file__).parent / "data"
# Parameters that change paging or the shape, not which studies match.
_IGNORED = {"pageSize", "countTotal", "fields", "pageToken", "filter.advanced", "format"}


class ReplayAdapter(BaseAdapter):
    def __init__(self, data_dir: Path = DATA_DIR, stage: int = 0) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.stage = stage
        self.versions: dict[str, list[dict[str, Any]]] = {}
        for path in sorted((data_dir / "studies").glob("NCT*.json")):
            record = json.loads(path.read_bytes())
            nct = record["protocolSection"]["identificationModule"]["nctId"]
            self.versions.setdefault(nct, []).append(record)
        for records in self.versions.values():
            records.sort(key=_version_holder)
        self.searches = json.loads((data_dir / "searches.json").read_text())

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
            query = {k: v for k, v in params.items() if k not in _IGNORED}
            for entry in self.searches:
                if entry["params"] == query:
                    body = (self.data_dir / "search_pages" / entry["file"]).read_bytes()
                    return _response(request, 200, body)
        return _response(
            request, 404, b"no recording for this request (offline demo)", "text/plain"
        )

    def close(self) -> None:
        pass


def _version_holder(record: dict[str, Any]) -> str:
    return str(record.get("derivedSection", {}).get("miscInfoModule", {}).get("versionHolder", ""))


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
