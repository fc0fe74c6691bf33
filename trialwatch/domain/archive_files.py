"""Pure: one archived study file (classic XML or API v2 JSON) as a record with its date.

A file's study is found by its name (`NCT\\d{8}.xml` / `.json`, anywhere in a ZIP, whatever
the folder layout) so that a registry-sized archive can be filtered without reading every
member, and by its content. A file that cannot be read gives an `Unreadable` with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from trialwatch.domain.classic import ClassicXmlError, read_classic_xml
from trialwatch.domain.dates import date_precision
from trialwatch.domain.ids import CANONICAL
from trialwatch.domain.records import loads_json

MEMBER_NAME = re.compile(r"(?:^|/)(NCT\d{8})\.(json|xml)$", re.IGNORECASE)
CLASSIC_XML, V2_JSON = "classic-xml", "v2-json"


class Unreadable(ValueError):
    """A file that is not a study record (its message is the reason, for the summary)."""


@dataclass(frozen=True)
class ArchivedRecord:
    nct_id: str
    record: dict[str, Any]
    format: str
    observed_date: str
    raw_text: str | None  # the original text when `record` is a translation of it
    problems: tuple[str, ...] = ()


def id_from_name(name: str) -> str | None:
    """The NCT id a member name promises (`…/NCT00088699.xml`), or None."""
    match = MEMBER_NAME.search(name)
    return match.group(1).upper() if match else None


def is_study_name(name: str) -> bool:
    return MEMBER_NAME.search(name) is not None


def read_archived(data: bytes, *, date: str | None = None) -> ArchivedRecord:
    """A study file's record. Classic XML is dated by its `download_date`; a v2 JSON file by
    `date` when given, else by its `versionHolder`."""
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return _classic(data)
    if head.startswith(b"{"):
        return _v2(data, date)
    raise Unreadable("neither classic XML nor JSON")


def _classic(data: bytes) -> ArchivedRecord:
    try:
        parsed = read_classic_xml(data)
    except ClassicXmlError as exc:
        raise Unreadable(f"not a readable classic XML record ({_first_line(exc)})") from None
    if not parsed.nct_id or not CANONICAL.match(parsed.nct_id):
        raise Unreadable("classic XML without a valid <nct_id>")
    if not parsed.snapshot_date or date_precision(parsed.snapshot_date) != "day":
        raise Unreadable("classic XML without a readable <download_date>")
    text = data.decode("utf-8", "replace")
    return ArchivedRecord(
        parsed.nct_id, parsed.record, CLASSIC_XML, parsed.snapshot_date, text,
        tuple(parsed.problems),
    )  # fmt: skip


def _v2(data: bytes, date: str | None) -> ArchivedRecord:
    try:
        record = loads_json(data)  # orjson, as everywhere records are decoded
    except (ValueError, UnicodeDecodeError) as exc:
        raise Unreadable(f"not valid JSON ({_first_line(exc)})") from None
    if not isinstance(record, dict) or not isinstance(record.get("protocolSection"), dict):
        raise Unreadable("JSON that is not an API v2 study record (no protocolSection)")
    nct = _get(record, "protocolSection", "identificationModule", "nctId")
    if not isinstance(nct, str) or not CANONICAL.match(nct):
        raise Unreadable("API v2 record without a valid nctId")
    observed = date or _get(record, "derivedSection", "miscInfoModule", "versionHolder")
    if not isinstance(observed, str) or date_precision(observed) != "day":
        raise Unreadable("API v2 record without a versionHolder date (give --date)")
    return ArchivedRecord(nct, record, V2_JSON, observed, None)


def _get(record: dict[str, Any], *path: str) -> Any:
    cur: Any = record
    for key in path:
        cur = cur.get(key) if isinstance(cur, dict) else None
    return cur


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]
