"""Pure: the changes between two stored versions, whatever source each came from.

Every pair is compared on content (`changes.diff_records` finds changes on both versions' normal
form, so classic XML, history HTML and API markdown are never a change by format alone). The
registry's history versions carry references that are not point-in-time (an early version
lists DERIVED references from years later), so references are left out of a diff between two
history versions.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from trialwatch.domain.change import LoggedChange
from trialwatch.domain.changes import diff_records

SOURCES = ("api", "history", "import")
FORMATS = ("v2-json", "classic-xml")


@dataclass(frozen=True)
class VersionKind:
    source: str = "api"
    format: str = "v2-json"


def diff_versions(
    old: dict[str, Any], new: dict[str, Any], old_kind: VersionKind, new_kind: VersionKind
) -> list[LoggedChange]:
    """Field changes of the study from `old` to `new` (derived metadata ignored)."""
    both_history = old_kind.source == new_kind.source == "history"
    return diff_records(old, new, references=not both_history)


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
