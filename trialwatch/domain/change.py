"""ONE type for a change of a study: found by the diff, logged by the store, read by everyone.

The diff (trialwatch.domain.changes) fills in the fact: `field` (a code such as
`overall_status` or `outcome_value`), the old and new values as registered, the severity and,
for results and protocol content, a `context` naming what the fact is about (the outcome
measure, arm, row, adverse event...). The store adds where and when it was logged. The CLI, the
report, the feed and the e-mail all read this one type; `as_json` keeps the codes for scripts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

# Context keys, in the order they are shown; values are registry text or registry codes.
CONTEXT_KEYS = (
    "outcome_type", "outcome", "time_frame", "analysis", "event", "organ_system",
    "period", "milestone", "group", "class", "category", "param",
)  # fmt: skip


@dataclass(frozen=True)
class LoggedChange:
    field: str
    old: str | None
    new: str | None
    severity: str
    context: dict[str, str] | None = None  # what the fact is about (see CONTEXT_KEYS)
    nct_id: str = ""
    id: int | None = None
    detected_at: datetime | None = None
    run_id: int | None = None
    search_name: str | None = None
    from_version_id: int | None = None
    to_version_id: int | None = None
    notified_at: datetime | None = None
    version_holder: str | None = None  # of the version the change led to, when there is one
    brief_title: str | None = None  # the study's, for context in lists

    def logged(self, **where: Any) -> LoggedChange:
        """The same fact with where and when it was logged."""
        return replace(self, **where)

    def as_json(self) -> dict[str, Any]:
        """For `--json`, exports and scripts: registry codes kept, nothing put into words."""
        return {
            "id": self.id,
            "detected_at": self.detected_at,
            "nct_id": self.nct_id,
            "brief_title": self.brief_title,
            "search_name": self.search_name,
            "field": self.field,
            "old_value": self.old,
            "new_value": self.new,
            "severity": self.severity,
            "context": dict(self.context) if self.context else None,
            "from_version_id": self.from_version_id,
            "to_version_id": self.to_version_id,
            "refresh_run_id": self.run_id,
            "notified_at": self.notified_at,
        }

    def row(self) -> dict[str, Any]:
        """The columns of the store's `changes` table: `as_json` less what the store derives."""
        record = self.as_json()
        return {key: record[key] for key in ROW_COLUMNS}


# The `changes` table's columns among `as_json`'s keys (the id, title and alert time are the
# store's own).
ROW_COLUMNS = ("nct_id", "search_name", "field", "old_value", "new_value", "severity", "context",
               "from_version_id", "to_version_id", "detected_at", "refresh_run_id")  # fmt: skip
