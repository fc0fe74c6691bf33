"""Pure parsing of an API v2 Study record into the summary the store and lookups need.

Every module and most fields are optional and drift over time, so each field is read defensively
(trialwatch.domain.record_reader):
it is either parsed or named in `problems`; nothing here raises on a strange record.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import msgspec
import orjson

from trialwatch.domain.dates import date_precision
from trialwatch.domain.ids import CANONICAL
from trialwatch.domain.record_reader import CODE_LIMITS as CODE_LIMITS  # re-exported
from trialwatch.domain.record_reader import RecordReader
from trialwatch.domain.summary import StudySummary as StudySummary  # re-exported

ENROLLMENT_SENTINEL = 99999999  # some records use this for "unknown"
# The largest whole number every store column holds (PostgreSQL's integer is 4 bytes).
STORE_INT_MAX = 2**31 - 1
# Modules every registry record carries (also in a search's `fields=` summary): one missing is
# named as a problem, so a blank status on the report is explained.
CORE_MODULES = (
    "identificationModule", "statusModule", "designModule", "sponsorCollaboratorsModule",
    "conditionsModule",
)  # fmt: skip

DATE_FIELDS = {
    "start_date": "startDateStruct",
    "primary_completion_date": "primaryCompletionDateStruct",
    "completion_date": "completionDateStruct",
}
POSTED_FIELDS = {
    "first_posted": "studyFirstPostDateStruct",
    "results_first_posted": "resultsFirstPostDateStruct",
    "last_update_posted": "lastUpdatePostDateStruct",
}


_IDENT = ("protocolSection", "identificationModule")
_STATUS = ("protocolSection", "statusModule")
_DESIGN = ("protocolSection", "designModule")
_SPONSORS = ("protocolSection", "sponsorCollaboratorsModule")


def parse_study(record: Any) -> StudySummary:
    """Extract the summary of one Study; never raises (see `problems`)."""
    r = RecordReader(record)
    # in this order, so that the problems are listed in the order they always were
    nct_id = _nct_id(r)
    _note_missing_modules(r)
    enrollment = _enrollment(r)
    has_results = _has_results(r)
    interventions = _interventions(r)
    dates = _dates(r)
    return StudySummary(
        nct_id=nct_id,
        brief_title=r.text(*_IDENT, "briefTitle"),
        official_title=r.text(*_IDENT, "officialTitle"),
        acronym=r.text(*_IDENT, "acronym"),
        overall_status=r.code(*_STATUS, "overallStatus"),
        why_stopped=r.text(*_STATUS, "whyStopped"),
        phases=r.texts(*_DESIGN, "phases"),
        study_type=r.code(*_DESIGN, "studyType"),
        enrollment=enrollment,
        enrollment_type=r.code(*_DESIGN, "enrollmentInfo", "type", limit=CODE_LIMITS["type"]),
        lead_sponsor=r.text(*_SPONSORS, "leadSponsor", "name"),
        lead_sponsor_class=r.code(*_SPONSORS, "leadSponsor", "class"),
        collaborators=r.texts(*_SPONSORS, "collaborators", key="name"),
        conditions=r.texts("protocolSection", "conditionsModule", "conditions"),
        interventions=interventions,
        has_results=has_results,
        version_holder=_version_holder(r),
        aliases=r.texts(*_IDENT, "nctIdAliases"),
        problems=tuple(dict.fromkeys(r.problems)),
        **dates,
    )


def _nct_id(r: RecordReader) -> str:
    """The record's NCT id, or "" (and a problem) when it is missing or not an NCT id."""
    nct_id = r.text(*_IDENT, "nctId") or ""
    if not nct_id:
        r.problems.append("protocolSection.identificationModule.nctId: missing")
    elif not CANONICAL.match(nct_id):
        r.problems.append(
            f"protocolSection.identificationModule.nctId: not an NCT id: {nct_id!r:.60}"
        )
        nct_id = ""
    return nct_id


def _note_missing_modules(r: RecordReader) -> None:
    proto = r.node("protocolSection")
    if isinstance(proto, dict):
        missing = [m for m in CORE_MODULES if m not in proto]
        r.problems += [f"protocolSection.{m}: missing" for m in missing]
    elif "protocolSection" not in r.record:
        r.problems.append("protocolSection: missing")


def _enrollment(r: RecordReader) -> int | None:
    """The enrollment count if it is a count of people; None (and a problem) otherwise."""
    raw_count = r.node(*_DESIGN, "enrollmentInfo", "count")
    if isinstance(raw_count, int) and not isinstance(raw_count, bool):
        if raw_count == ENROLLMENT_SENTINEL:
            r.problems.append("enrollment 99999999 is the registry's sentinel for unknown")
        elif raw_count < 0:
            r.problems.append(f"enrollment {raw_count} is negative")
        elif raw_count > STORE_INT_MAX:
            r.problems.append(f"enrollment {raw_count} is too large to be a count of people")
        else:
            return raw_count
    elif raw_count is not None:
        r.problems.append(f"enrollmentInfo.count: expected a whole number, got {raw_count!r}")
    return None


def _has_results(r: RecordReader) -> bool | None:
    has_results = r.node("hasResults")
    if has_results is not None and not isinstance(has_results, bool):
        r.problems.append(f"hasResults: expected true/false, got {has_results!r}")
        return None
    return has_results


def _interventions(r: RecordReader) -> tuple[str, ...]:
    """Each intervention as "TYPE: name" (or its name alone when it has no type)."""
    interventions: list[str] = []
    raw_interventions = r.node("protocolSection", "armsInterventionsModule", "interventions")
    if isinstance(raw_interventions, list):
        for item in raw_interventions:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                kind = item.get("type")
                interventions.append(
                    f"{kind}: {item['name']}" if isinstance(kind, str) else item["name"]
                )
            else:
                r.problems.append(
                    "armsInterventionsModule.interventions: skipped a malformed entry"
                )
    elif raw_interventions is not None:
        r.problems.append("armsInterventionsModule.interventions: expected a list")
    return tuple(interventions)


def _dates(r: RecordReader) -> dict[str, Any]:
    """The StudySummary's date fields (each with its type) and posted dates."""
    dates: dict[str, Any] = {}
    for name, key in DATE_FIELDS.items():
        dates[name], dates[f"{name}_type"] = r.date(*_STATUS, key)
    for name, key in POSTED_FIELDS.items():
        dates[name] = r.date(*_STATUS, key)[0]
    return dates


def _version_holder(r: RecordReader) -> str | None:
    value = r.text("derivedSection", "miscInfoModule", "versionHolder")
    if value is not None and not date_precision(value):
        r.problems.append(f"derivedSection.miscInfoModule.versionHolder: not a date: {value!r:.60}")
        return None
    return value


def canonical_json(value: Any) -> str:
    """Key-order independent serialisation: the API does not guarantee key order.

    Exactly `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`."""
    return canonical_bytes(value).decode()


def _canonical_json_slow(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# orjson writes floats in another form than json does (1e16 / 1e+16, 0.00001 / 1e-05,
# null / NaN): text that might hold such a float goes the slow, exact way.
_EXPONENT = re.compile(rb"e-?[0-9]")
_DIGITS = frozenset(b"0123456789")


def canonical_bytes(value: Any) -> bytes:
    """`canonical_json(value)` as UTF-8, made by orjson (10x faster) whenever that is exact."""
    try:
        out = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # a key that is not a string, an integer beyond 64 bits, ...
        return _canonical_json_slow(value).encode()
    if b"null" in out or b"0.0000" in out or _exponent_in(out):
        return _canonical_json_slow(value).encode()
    return out


def loads_json(text: str | bytes) -> Any:
    """`json.loads`, by msgspec when it can: the same values, faster. Not orjson, which reads an
    integer beyond 64 bits as a float (100000000000000000000 would become 1e+20). msgspec
    refuses NaN, out-of-range floats and lone surrogates: those texts go the slow way."""
    try:
        return _DECODER.decode(text)
    except msgspec.DecodeError:
        return json.loads(text)


_DECODER = msgspec.json.Decoder()


def _exponent_in(out: bytes) -> bool:
    return any(m.start() and out[m.start() - 1] in _DIGITS for m in _EXPONENT.finditer(out))


def record_hashes(record: dict[str, Any]) -> tuple[str, str]:
    """(content hash of the whole record, hash of the study without `derivedSection`).

    Two versions that differ only in registry-derived metadata share the second hash.
    """
    content_hash, study_hash, _ = canonical_record(record)
    return content_hash, study_hash


def canonical_record(record: dict[str, Any]) -> tuple[str, str, str]:
    """(content hash, study hash, canonical JSON of the whole record) from one serialisation.

    Serialising dominates ingest cost, so each top-level value is dumped once and the pieces are
    fed to the hash as `canonical_json` would join them: the hashes are exactly the documented
    ones, sha256(canonical study part) and sha256(study part + NUL + canonical derived part).
    """
    if not all(isinstance(k, str) for k in record):  # not from JSON: the plain, slower way
        study_text = canonical_json({k: v for k, v in record.items() if k != "derivedSection"})
        whole = canonical_json(record).encode()
        members = [study_text[1:-1].encode()] if len(study_text) > 2 else []
        derived_part = canonical_bytes(record.get("derivedSection"))
    else:
        pieces = [(k, orjson.dumps(k) + b":" + canonical_bytes(record[k])) for k in sorted(record)]
        whole = b"{" + b",".join(piece for _, piece in pieces) + b"}"
        derived = [piece for k, piece in pieces if k == "derivedSection"]
        derived_part = derived[0][len(b'"derivedSection":') :] if derived else b"null"
        members = [piece for k, piece in pieces if k != "derivedSection"]
    digest = hashlib.sha256(b"{")  # the study part, piece by piece: no joined copy of it
    for i, piece in enumerate(members):
        if i:
            digest.update(b",")
        digest.update(piece)
    digest.update(b"}")
    study_hash = digest.hexdigest()
    digest.update(b"\x00" + derived_part)
    return digest.hexdigest(), study_hash, whole.decode()
