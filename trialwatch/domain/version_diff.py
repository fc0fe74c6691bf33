"""Pure: the changes between two stored versions, whatever source each came from.

Two API v2 JSON versions (fetched or imported) are compared as they are (`changes.diff_records`).
"""

from __future__ import annotations

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
    return diff_records(old, new)
