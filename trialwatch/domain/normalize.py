"""Pure: a record's content without its format, so that versions are compared on what they say.

The same registered text reaches trialwatch in three forms: API v2 (markdown, `\\>=` escapes,
`* ` lists), the version-history endpoint (HTML-entity escaped, eligibility as `<p><ol><li>`)
and classic XML (plain text, `-  ` lists, wrapped and indented). `normalize_record` reduces each
to the same comparable copy: markup and entities removed, list markers dropped, typographic
punctuation folded, whitespace collapsed, classic words as v2 codes, empty pieces and
registry-computed fields only one format carries left out. The copy is for comparing, never for
showing or storing.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

from trialwatch.domain.classic import vocabulary

# Computed by the registry (geocoding, age groups, display flags, file metadata, retraction
# links): present in v2 bodies, absent from classic XML; never an edit of the study.
_COMPUTED = {"geoPoint", "stdAges", "calculatePct", "denomUnitsSelected", "testedNonInferiority"}
_COMPUTED_IN = {
    "largeDocs": {"typeAbbrev", "uploadDate", "size"},
    # classic XML cannot tell BACKGROUND from DERIVED, and retractions are linked later
    "references": {"type", "retractions"},
}
_VOCABULARY = {
    "overallStatus": vocabulary.STATUS,
    "lastKnownStatus": vocabulary.STATUS,
    "studyType": vocabulary.STUDY_TYPE,
    "phases": vocabulary.PHASE,
    "dateType": vocabulary.DATE_TYPE,  # see _date_type
}
_HTML_TAG = re.compile(
    r"</?(?:p|br|ol|ul|li|div|span|b|i|u|em|strong|sup|sub|a|h[1-6]|blockquote|pre|code|hr|"
    r"table|thead|tbody|tr|td|th)\b[^<>]*>",
    re.IGNORECASE,
)
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~=^&\"'])")
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,3}[.)]|[a-zA-Z][.)]|\([0-9a-zA-Z]{1,3}\))[ \t]+",
                          re.MULTILINE)  # fmt: skip
_EMPHASIS = re.compile(r"\*\*|__")
# Typographic punctuation some exports fold to ASCII (the 2020 bulk file wrote "–" as "-").
_PUNCTUATION = str.maketrans(
    {"\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", "\u2018": "'", "\u2019": "'",
     "\u201c": '"', "\u201d": '"'}
)  # fmt: skip


# Text with none of these is already in normal form but for its whitespace (most values: codes,
# names, numbers), which saves the regular expressions below on a large record.
_PLAIN = re.compile(r"[<&\\*\n]|__|^\s*(?:[-+•(]|\d{1,3}[.)]|[a-zA-Z][.)])")


def normalize_text(text: str) -> str:
    """Registered text without markup, entities, list markers or layout whitespace."""
    if text.isascii() and not _PLAIN.search(text):
        return " ".join(text.split())
    text = _HTML_TAG.sub("\n", text)  # tags first: an escaped `&lt;p&gt;` is text, not markup
    text = html.unescape(text)
    text = _MARKDOWN_ESCAPE.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    text = _LIST_MARKER.sub("", text)
    return " ".join(unicodedata.normalize("NFC", text).translate(_PUNCTUATION).split())


def normalize_record(record: Any, *, references: bool = True) -> Any:
    """A comparable copy of a v2-shaped record (see the module docstring).

    `references=False` leaves the literature references out: the version-history endpoint
    serves every version with today's references (a 2020 version 0 carries DERIVED references
    from 2024), so between history versions they are not point-in-time content.
    """
    if not isinstance(record, dict):
        return record
    return _normal_record(record, _Shared(), references)


def normalize_pair(old: Any, new: Any, *, references: bool = True) -> tuple[Any, Any]:
    """`normalize_record` of two versions, sparing what they share: a section or module equal in
    both, as decoded, is left as it is on both sides. Equal on each side, it compares equal
    either way; normalising it was most of the cost of diffing a large record."""
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return (normalize_record(old, references=references),
                normalize_record(new, references=references))  # fmt: skip
    shared = _Shared()
    for key in old.keys() & new.keys():
        a, b = old[key], new[key]
        if a == b:
            shared.sections.add(key)
        elif isinstance(a, dict) and isinstance(b, dict):
            shared.modules[key] = {k for k in a.keys() & b.keys() if a[k] == b[k]}
    return _normal_record(old, shared, references), _normal_record(new, shared, references)


class _Shared:
    """What two versions share: whole sections, and modules of the other sections."""

    def __init__(self) -> None:
        self.sections: set[str] = set()
        self.modules: dict[str, set[str]] = {}


def _normal_record(record: dict[str, Any], shared: _Shared, references: bool) -> dict[str, Any]:
    out = {}
    for key, value in record.items():
        if key == "derivedSection" or key in shared.sections:  # registry metadata, or the same
            out[key] = value  # on both sides: never compared as study content
            continue
        kept = shared.modules.get(key)
        normal = _normal_section(value, key, kept) if kept else _normal(value, key)
        if normal is not None:
            out[key] = normal
    protocol_shared = "protocolSection" in shared.sections or "referencesModule" in (
        shared.modules.get("protocolSection", set())
    )
    if not references and not protocol_shared:  # a shared module is the input's: not edited
        refs = (out.get("protocolSection") or {}).get("referencesModule")
        if isinstance(refs, dict):
            refs.pop("references", None)
            if not refs:
                del out["protocolSection"]["referencesModule"]
    return out


def _normal_section(value: dict[str, Any], key: str, kept: set[str]) -> dict[str, Any] | None:
    """`_normal` of a section whose `kept` modules stay as they are."""
    skip = _COMPUTED | _COMPUTED_IN.get(key, set())
    normal = {}
    for k, v in value.items():
        if k in skip:
            continue
        n = v if k in kept else _normal(v, _date_type(key, k))
        if n is not None:
            normal[k] = n
    return normal or None


def _normal(value: Any, key: str) -> Any:
    """The normal form of `value` found under `key`; None when it is empty."""
    if isinstance(value, str):
        text = normalize_text(value)
        table = _VOCABULARY.get(key)
        return (table.get(text, text) if table else text) or None
    if isinstance(value, list):
        items = [n for item in value if (n := _normal(item, key)) is not None]
        return items or None
    if isinstance(value, dict):
        skip = _COMPUTED | _COMPUTED_IN.get(key, set())
        normal = {
            k: n
            for k, v in value.items()
            if k not in skip and (n := _normal(v, _date_type(key, k))) is not None
        }
        return normal or None
    return value


def _date_type(parent: str, key: str) -> str:
    """Dates' and enrollment's `type` are v2 codes (`Anticipated` is ESTIMATED)."""
    if key == "type" and (parent.endswith("DateStruct") or parent == "enrollmentInfo"):
        return "dateType"
    return key
