"""Changes and history flags as text for a person at a terminal (pure: str and rows out).

What changed is said in words (trialwatch.domain.change_words); `--json` keeps the codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trialwatch.cli.output import table
from trialwatch.domain.change import LoggedChange
from trialwatch.domain.change_words import change_label, flag_words, value_words
from trialwatch.domain.history_flags import HistoryFlag
from trialwatch.domain.text import clean_text

CHANGE_COLUMNS = (
    ("detected_at", "Detected (UTC)"),
    ("severity", "Severity"),
    ("nct_id", "NCT ID"),
    ("field", "What changed"),
    ("old_value", "Old"),
    ("new_value", "New"),
    ("brief_title", "Study"),
)
VERSION_CHANGE_COLUMNS = CHANGE_COLUMNS[1:2] + CHANGE_COLUMNS[3:6]
SEARCH_CHANGE_COLUMNS = (("detected_at", "Detected (UTC)"), ("new_value", "Change"))
UNCUT = frozenset({"field"})  # what changed is never cut short on a terminal


def change_row(change: LoggedChange) -> dict[str, Any]:
    """A change as a table row in words (the codes are in --json)."""
    flag = flag_words(change)
    return {
        "detected_at": change.detected_at,
        "severity": change.severity,
        "nct_id": change.nct_id,
        "field": change_label(change) + (f" [{flag}]" if flag else ""),
        "old_value": value_words(change, change.old),
        "new_value": value_words(change, change.new),
        "brief_title": change.brief_title,
    }


def change_table(
    changes: Sequence[LoggedChange], columns: Sequence[tuple[str, str]] = CHANGE_COLUMNS,
    *, tty: bool | None = None,
) -> str:  # fmt: skip
    return table([change_row(c) for c in changes], columns, tty=tty, uncut=UNCUT)


def flags_text(flags: Sequence[HistoryFlag]) -> list[str]:
    """The flags from the study's history, one line each (nothing when there are none)."""
    if not flags:
        return []
    lines = "\n".join(f"  - {clean_text(f.words)}" for f in flags)
    return ["Flags from the study's history:", lines]
