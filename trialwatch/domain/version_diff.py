"""Pure: the changes between two stored versions, whatever source each came from.

Two API v2 JSON versions (fetched or imported) are compared as they are (`changes.diff_records`).
The registry's history versions carry references that are not point-in-time (an early version
lists DERIVED references from years later), so references are left out of a diff between two
history versions.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from trialwatch.domain.changes import FieldChange, diff_records

SOURCES = ("api", "history", "import")
FORMATS = ("v2-json", "classic-xml")


@dataclass(frozen=True)
class VersionKind:
    source: str = "api"
    format: str = "v2-json"


def diff_versions(
    old: dict[str, Any], new: dict[str, Any], old_kind: VersionKind, new_kind: VersionKind
) -> list[FieldChange]:
    """Field changes of the study from `old` to `new` (derived metadata ignored)."""
    if old_kind.source == "history" and new_kind.source == "history":
        old, new = _without_references(old), _without_references(new)
    return diff_records(old, new)


def _without_references(record: dict[str, Any]) -> dict[str, Any]:
    proto = record.get("protocolSection")
    if not isinstance(proto, dict) or "referencesModule" not in proto:
        return record
    kept = {k: v for k, v in proto.items() if k != "referencesModule"}
    return {**record, "protocolSection": kept}


def unescaped(value: Any) -> Any:
    """The registry's history text without its HTML entity escaping (`&#x2F;` -> `/`), as API
    v2 serves the same text. (The body as received is kept as the version's raw text.)"""
    if isinstance(value, str):
        return html.unescape(value) if "&" in value else value
    if isinstance(value, list):
        return [unescaped(v) for v in value]
    if isinstance(value, dict):
        return {k: unescaped(v) for k, v in value.items()}
    return value
