"""The study's fields: ONE list, with what each is called and how a change of it is rated.

`StudySummary` is what the parser reads from a record, what the store keeps per study (its
columns carry the same names), what `show` and `export` list, and what the change log compares.
Each field's metadata says, once:
  label    the field in words, for people ("Overall status")
  change   how a change of it is rated: a severity, or the name of a rule in
           trialwatch.domain.change_rules ("status", "enrollment", "date", "results"); absent:
           not compared (identity, registry bookkeeping)
  listed   shown by `show` and written by `export --what studies`
  joiner   how a list field is joined into one cell
"""

from __future__ import annotations

from dataclasses import Field, dataclass, field, fields
from typing import Any


def _f(label: str, default: Any = None, *, change: str | None = None, listed: bool = True,
       joiner: str = "; ") -> Any:  # fmt: skip
    meta = {"label": label, "change": change, "listed": listed, "joiner": joiner}
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class StudySummary:
    nct_id: str = _f("NCT ID", "")
    brief_title: str | None = _f("Brief title", change="minor")
    official_title: str | None = _f("Official title", change="minor")
    acronym: str | None = _f("Acronym", change="minor")
    overall_status: str | None = _f("Overall status", change="status")
    why_stopped: str | None = _f("Why stopped", change="notable")
    phases: tuple[str, ...] = _f("Phases", (), change="minor", joiner=", ")
    study_type: str | None = _f("Study type", change="minor")
    enrollment: int | None = _f("Enrollment", change="enrollment")
    enrollment_type: str | None = _f("Enrollment type", change="minor")
    lead_sponsor: str | None = _f("Lead sponsor", change="notable")
    lead_sponsor_class: str | None = _f("Lead sponsor class", listed=False)
    collaborators: tuple[str, ...] = _f("Collaborators", (), change="minor")
    conditions: tuple[str, ...] = _f("Conditions", (), change="minor")
    # compared one by one with the arms (trialwatch.domain.change_protocol)
    interventions: tuple[str, ...] = _f("Interventions", ())
    start_date: str | None = _f("Start date", change="date")
    start_date_type: str | None = _f("Start date type", change="minor")
    primary_completion_date: str | None = _f("Primary completion date", change="date")
    primary_completion_date_type: str | None = _f("Primary completion date type", change="minor")
    completion_date: str | None = _f("Completion date", change="date")
    completion_date_type: str | None = _f("Completion date type", change="minor")
    first_posted: str | None = _f("First posted")
    has_results: bool | None = _f("Has results", change="results")
    results_first_posted: str | None = _f("Results first posted", change="minor")
    last_update_posted: str | None = _f("Last update posted")
    version_holder: str | None = _f("Record version")
    aliases: tuple[str, ...] = _f("Aliases", (), listed=False)
    problems: tuple[str, ...] = field(
        default=(), compare=False, metadata={"label": "Fields that could not be parsed"}
    )

    def as_dict(self) -> dict[str, Any]:
        # shallow: every field is a plain value or a tuple of strings (asdict deep-copies)
        return {
            name: list(value) if isinstance(value := getattr(self, name), tuple) else value
            for name in _FIELD_NAMES
        }


SUMMARY_FIELDS: tuple[Field[Any], ...] = fields(StudySummary)
_FIELD_NAMES = tuple(f.name for f in SUMMARY_FIELDS)
FIELD_LABELS: dict[str, str] = {f.name: f.metadata["label"] for f in SUMMARY_FIELDS}
# Listed by `show` and `export`, in this order.
LISTED_FIELDS: tuple[str, ...] = tuple(f.name for f in SUMMARY_FIELDS if f.metadata.get("listed"))
# How a change of each compared field is rated (a severity, or a rule's name).
CHANGE_RULES: dict[str, str] = {
    f.name: f.metadata["change"] for f in SUMMARY_FIELDS if f.metadata.get("change")
}
LIST_JOINERS: dict[str, str] = {
    f.name: f.metadata["joiner"]
    for f in SUMMARY_FIELDS
    if "joiner" in f.metadata and f.default == ()
}
