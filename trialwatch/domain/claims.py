"""What the clinic says a study shows, set beside what the registry records for it.

trialwatch does not judge a claim: it lists, next to each claim, the conditions registered, the
primary outcomes and what their registered analyses found, whether results are posted, and who
took part. The reader compares.
"""

from __future__ import annotations

from dataclasses import dataclass

from trialwatch.domain.findings import OutcomeFindings
from trialwatch.domain.protocol import Eligibility, PlannedOutcome
from trialwatch.domain.records import StudySummary
from trialwatch.domain.results.read import AsDict
from trialwatch.domain.wording import code_words


@dataclass(frozen=True)
class OutcomeEvidence(AsDict):
    title: str | None
    time_frame: str | None
    found: tuple[str, ...]  # the plain finding lines; empty when nothing is registered
    note: str


@dataclass(frozen=True)
class ClaimEvidence(AsDict):
    claim: str
    conditions: tuple[str, ...]
    primary_outcomes: tuple[OutcomeEvidence, ...]
    results: str
    population: str


def population_words(eligibility: Eligibility | None, summary: StudySummary) -> str:
    """Who took part, from the registered eligibility and enrolment (values verbatim)."""
    parts = []
    if eligibility is not None:
        low, high = eligibility.minimum_age, eligibility.maximum_age
        if low or high:
            parts.append(f"ages {low or 'no minimum'} to {high or 'no maximum'}")
        if eligibility.sex:
            parts.append(code_words(eligibility.sex).lower())
        if eligibility.healthy_volunteers is True:
            parts.append("accepts healthy volunteers")
        elif eligibility.healthy_volunteers is False:
            parts.append("no healthy volunteers")
    if summary.enrollment is not None:
        kind = f" ({code_words(summary.enrollment_type)})" if summary.enrollment_type else ""
        parts.append(f"enrollment {summary.enrollment}{kind}")
    return "; ".join(parts) or "not given"


def _outcomes(
    findings: list[OutcomeFindings], planned: tuple[PlannedOutcome, ...]
) -> tuple[OutcomeEvidence, ...]:
    if findings:
        return tuple(
            OutcomeEvidence(f.title, f.time_frame, tuple(x.line for x in f.findings), f.note)
            for f in findings
        )
    return tuple(
        OutcomeEvidence(p.measure, p.time_frame, (), "Planned; no results posted for it.")
        for p in planned
        if p.type == "PRIMARY"
    )


def claim_evidence(
    claims: tuple[str, ...],
    summary: StudySummary,
    findings: list[OutcomeFindings],
    planned: tuple[PlannedOutcome, ...],
    eligibility: Eligibility | None,
) -> tuple[ClaimEvidence, ...]:
    results = (
        f"posted, first on {summary.results_first_posted}"
        if summary.has_results
        else "no results posted on the registry"
    )
    outcomes = _outcomes(findings, planned)
    population = population_words(eligibility, summary)
    return tuple(
        ClaimEvidence(claim, summary.conditions, outcomes, results, population)
        for claim in claims
        if claim.strip()
    )
