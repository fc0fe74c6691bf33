"""The registry's own version history of a study: undocumented endpoints, kept in this one place.

    GET {int}/studies/{nct}/history       {"changes": [{"version": 0, "date": "2020-04-29", ...}]}
    GET {int}/studies/{nct}/history/{n}   {"studyVersion": n, "study": {"protocolSection": ...}}

`{int}` is the `/api/int` sibling of `[api] base_url` (`…/api/v2` → `…/api/int`). The requests go
through the client like every other (same session, pacing, retries and timeouts). Each answer's
shape is checked; a change of shape is an error naming the endpoint, never guessed around.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn

from trialwatch.ctgov.client import CtgovClient
from trialwatch.domain.dates import date_precision
from trialwatch.errors import ApiError, NotFound


class HistoryShapeChanged(ApiError):
    """The version-history endpoint answered in a shape trialwatch does not know."""


@dataclass(frozen=True)
class HistoryEntry:
    version: int  # counts from 0
    date: str  # yyyy-mm-dd: when the registry posted this version
    status: str | None
    module_labels: tuple[str, ...]


def int_base(base_url: str) -> str:
    """The `/api/int` base beside the configured API v2 base URL."""
    base = base_url.rstrip("/")
    parent = base.rsplit("/", 1)[0] if "/" in base.split("://", 1)[-1] else base
    return f"{parent}/int"


def version_list(client: CtgovClient, nct: str) -> list[HistoryEntry]:
    """Every version the registry lists for `nct`, oldest first."""
    path = f"studies/{nct}/history"
    data = _get(client, path, nct)
    changes = data.get("changes") if isinstance(data, dict) else None
    if not isinstance(changes, list):
        _shape(client, path, "no 'changes' list")
    entries = [_entry(client, path, item) for item in changes]
    return sorted(entries, key=lambda e: e.version)


def version_record(client: CtgovClient, nct: str, version: int) -> dict[str, Any]:
    """Version `version` of the record: the body's `study` (API v2 module layout)."""
    path = f"studies/{nct}/history/{version}"
    data = _get(client, path, nct)
    if not isinstance(data, dict):
        _shape(client, path, "not a JSON object")
    if data.get("studyVersion") != version:
        _shape(client, path, f"'studyVersion' is {data.get('studyVersion')!r}, not {version}")
    study = data.get("study")
    if not isinstance(study, dict) or not isinstance(study.get("protocolSection"), dict):
        _shape(client, path, "no 'study' with a 'protocolSection'")
    ident = study["protocolSection"].get("identificationModule")
    if not isinstance(ident, dict) or ident.get("nctId") != nct:
        _shape(client, path, f"its study is not {nct}")
    return dict(study)


def _get(client: CtgovClient, path: str, nct: str) -> Any:
    try:
        return client.get_json(path, base=int_base(client.base_url))
    except ApiError as exc:
        if str(exc).startswith("HTTP 404"):
            raise NotFound(
                f"The registry has no version history for {nct} "
                f"(HTTP 404 from GET {_url(client, path)})."
            ) from None
        raise


def _entry(client: CtgovClient, path: str, item: Any) -> HistoryEntry:
    if not isinstance(item, dict):
        _shape(client, path, "a 'changes' entry that is not an object")
    version, date = item.get("version"), item.get("date")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        _shape(client, path, f"a 'changes' entry whose 'version' is {version!r}")
    if not isinstance(date, str) or date_precision(date) != "day":
        _shape(client, path, f"version {version}'s 'date' is {date!r}, not yyyy-mm-dd")
    status = item.get("status")
    labels = item.get("moduleLabels")
    return HistoryEntry(
        version,
        date,
        status if isinstance(status, str) else None,
        tuple(x for x in labels if isinstance(x, str)) if isinstance(labels, list) else (),
    )


def _shape(client: CtgovClient, path: str, problem: str) -> NoReturn:
    raise HistoryShapeChanged(
        f"The registry's version-history endpoint GET {_url(client, path)} answered in an "
        f"unexpected shape ({problem}). The endpoint is undocumented and may have changed; "
        "nothing more was fetched, and versions already stored are kept."
    )


def _url(client: CtgovClient, path: str) -> str:
    return f"{int_base(client.base_url)}/{path}"
