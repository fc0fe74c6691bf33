"""Ad-hoc questions to the live registry: search parameters from a person's options, and the
paged search itself. Nothing here writes the store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from trialwatch.ctgov.client import SUMMARY_FIELDS, CtgovClient
from trialwatch.domain.records import parse_study
from trialwatch.errors import UsageError

# The API's own enums (OpenAPI spec 2.0.5, components Status and Phase).
STATUSES = (
    "ACTIVE_NOT_RECRUITING", "COMPLETED", "ENROLLING_BY_INVITATION", "NOT_YET_RECRUITING",
    "RECRUITING", "SUSPENDED", "TERMINATED", "WITHDRAWN", "AVAILABLE", "NO_LONGER_AVAILABLE",
    "TEMPORARILY_NOT_AVAILABLE", "APPROVED_FOR_MARKETING", "WITHHELD", "UNKNOWN",
)  # fmt: skip
PHASES = ("NA", "EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4")


def normalize_status(raw: str) -> str:
    """`recruiting`, `not yet recruiting`, `NOT_YET_RECRUITING` -> the API's enum value."""
    value = "_".join(raw.strip().upper().replace("-", " ").split())
    if value not in STATUSES:
        raise UsageError(f"unknown status {raw!r}; choose from {', '.join(STATUSES)}")
    return value


def normalize_phase(raw: str) -> str:
    """`3`, `phase 3`, `Phase3`, `early phase 1`, `na` -> the API's enum value."""
    value = "".join(raw.strip().upper().replace("_", " ").split())
    if value.isdigit():
        value = f"PHASE{value}"
    value = value.replace("EARLYPHASE", "EARLY_PHASE")
    if value not in PHASES:
        raise UsageError(f"unknown phase {raw!r}; choose from {', '.join(PHASES)} (or 1-4)")
    return value


def search_params(
    terms: str = "",
    *,
    cond: str = "",
    intr: str = "",
    statuses: Sequence[str] = (),
    phases: Sequence[str] = (),
) -> dict[str, str]:
    """API v2 /studies parameters. There is no `filter.phase`: phases go in `filter.advanced`."""
    params: dict[str, str] = {}
    for key, value in (("query.term", terms), ("query.cond", cond), ("query.intr", intr)):
        if value.strip():
            params[key] = value.strip()
    if not params:
        raise UsageError("say what to search for: TERMS, --cond or --intr")
    if statuses:
        params["filter.overallStatus"] = "|".join(
            dict.fromkeys(normalize_status(s) for s in statuses)
        )
    if phases:
        areas = [f"AREA[Phase]{p}" for p in dict.fromkeys(normalize_phase(p) for p in phases)]
        params["filter.advanced"] = areas[0] if len(areas) == 1 else f"({' OR '.join(areas)})"
    return params


@dataclass
class SearchOutcome:
    params: dict[str, str]
    total_count: int | None = None
    studies: list[dict[str, Any]] = field(default_factory=list)  # StudySummary dicts

    @property
    def more(self) -> bool:
        """True when the registry holds more matches than were fetched."""
        return self.total_count is not None and self.total_count > len(self.studies)

    def as_dict(self) -> dict[str, Any]:
        return {
            "params": self.params,
            "total_count": self.total_count,
            "returned": len(self.studies),
            "studies": self.studies,
        }


def run_search(
    client: CtgovClient,
    params: dict[str, str],
    *,
    limit: int,
    on_page: Callable[[int, int | None], None] | None = None,
) -> SearchOutcome:
    """The first `limit` studies (summary fields only) for `params`, page by page.

    `on_page(studies so far, total count)` is called after each page, for a progress display.
    """
    if limit < 1:
        raise UsageError("--limit must be at least 1")
    outcome = SearchOutcome(params=params)
    query = {**params, "fields": "|".join(SUMMARY_FIELDS)}
    for studies, page in client.iter_pages(query, max_studies=limit, page_size=limit):
        if outcome.total_count is None and isinstance(page.get("totalCount"), int):
            outcome.total_count = page["totalCount"]
        room = limit - len(outcome.studies)
        for record in studies[:room]:
            summary = parse_study(record).as_dict()
            summary.pop("problems", None)
            outcome.studies.append(summary)
        if on_page is not None:
            on_page(len(outcome.studies), outcome.total_count)
    return outcome
