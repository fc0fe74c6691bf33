"""Pure: a logged change in words, for the people who read the report, the feed and e-mail."""

from __future__ import annotations

from trialwatch.domain.change import LoggedChange
from trialwatch.domain.text import clean_text

MAX_VALUE_CHARS = 300  # an alert quotes this much of a long value; the report has all of it
_LABELS = {"overall_status": "status", "why_stopped": "why stopped", "search": "related search"}


def change_label(change: LoggedChange) -> str:
    return _LABELS.get(change.field, change.field.replace("_", " "))


def shorten(value: str | None) -> str:
    if value is None:
        return "(none)"
    text = clean_text(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"
