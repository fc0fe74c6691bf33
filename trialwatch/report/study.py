"""One cited study's page data, parsed from one stored record version (pure: no database).

Every value comes from that version's raw JSON through the domain parsers; the only computed
pieces (the no-difference check, date intervals in the trust panel, adverse-event percentages)
name themselves as computed where they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from trialwatch.config import StudyConfig
from trialwatch.domain import protocol, results
from trialwatch.domain.appraisal import Appraisal, TrustItem, appraise, with_history_flags
from trialwatch.domain.change import LoggedChange
from trialwatch.domain.citation import CitationCheck, check_citation
from trialwatch.domain.claims import ClaimEvidence, claim_evidence
from trialwatch.domain.fdaaa import ReportingStatus, registry_facts, reporting_status
from trialwatch.domain.findings import OutcomeFindings, primary_findings
from trialwatch.domain.history_flags import HistoryFlag
from trialwatch.domain.pages import STUDY_PAGE
from trialwatch.domain.records import StudySummary, parse_study
from trialwatch.domain.references import Reference, SeeAlsoLink, parse_references, parse_see_also

TOP_EVENTS = 5


@dataclass(frozen=True)
class VersionInfo:
    version_no: int
    version_holder: str | None
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True)
class CitedStudy:
    config: StudyConfig
    filename: str
    summary: StudySummary | None  # None: not fetched yet (or the registry did not return it)
    version: VersionInfo | None = None
    design: protocol.Design | None = None
    arms: tuple[protocol.Arm, ...] = ()
    interventions: tuple[protocol.Intervention, ...] = ()
    outcomes: list[results.OutcomeMeasure] = field(default_factory=list)
    flow: results.ParticipantFlow | None = None
    adverse_events: results.AdverseEvents | None = None
    top_events: dict[str, list[tuple[results.AdverseEvent, results.EventStat]]] = field(
        default_factory=dict
    )
    reporting: ReportingStatus | None = None
    citation: CitationCheck | None = None
    findings: list[OutcomeFindings] = field(default_factory=list)  # per primary outcome
    appraisal: Appraisal | None = None
    claims: tuple[ClaimEvidence, ...] = ()
    baseline: results.Baseline | None = None
    eligibility: protocol.Eligibility | None = None
    brief_summary: str | None = None
    planned: tuple[protocol.PlannedOutcome, ...] = ()
    references: tuple[Reference, ...] = ()
    see_also: tuple[SeeAlsoLink, ...] = ()
    more_info: results.MoreInfo | None = None
    dates: protocol.StatusDates | None = None
    changes_since_previous: list[LoggedChange] = field(default_factory=list)
    changes_recent: list[LoggedChange] = field(default_factory=list)
    flags: tuple[HistoryFlag, ...] | None = None  # from every stored version; None: not read


def cited_study(
    cited: StudyConfig,
    raw: dict[str, Any],
    version: VersionInfo,
    *,
    changes_since_previous: list[LoggedChange],
    changes_recent: list[LoggedChange],
    today: date,
    flags: list[HistoryFlag] | None = None,
) -> CitedStudy:
    """Pure: everything the study page shows, parsed from one stored record version."""
    summary, facts = parse_study(raw), registry_facts(raw)
    adverse = results.parse_adverse_events(raw)
    design, arms = protocol.parse_design(raw), protocol.parse_arms(raw)
    outcomes, flow = results.parse_outcomes(raw), results.parse_participant_flow(raw)
    more_info, dates = results.parse_more_info(raw), protocol.parse_status_dates(raw)
    findings, planned = primary_findings(outcomes), protocol.parse_planned_outcomes(raw)
    eligibility = protocol.parse_eligibility(raw)
    return CitedStudy(
        config=cited,
        filename=STUDY_PAGE.format(nct=cited.nct_id),
        summary=summary,
        version=version,
        design=design,
        arms=arms,
        interventions=protocol.parse_interventions(raw),
        outcomes=outcomes,
        flow=flow,
        adverse_events=adverse,
        top_events=results.most_frequent_events(adverse, TOP_EVENTS) if adverse else {},
        reporting=reporting_status(facts, today=today),
        citation=(
            check_citation(cited.cited_as, summary, facts.results_first_submitted)
            if cited.cited_as.strip()
            else None
        ),
        findings=findings,
        appraisal=_with_flags(
            appraise(
                summary, design, arms, dates, flow=flow, outcomes=outcomes, more_info=more_info
            ),
            flags,
        ),
        claims=claim_evidence(cited.claims, summary, findings, planned, eligibility),
        baseline=results.parse_baseline(raw),
        eligibility=eligibility,
        brief_summary=protocol.brief_summary(raw),
        planned=planned,
        references=parse_references(raw),
        see_also=parse_see_also(raw),
        more_info=more_info,
        dates=dates,
        changes_since_previous=changes_since_previous,
        changes_recent=changes_recent,
        flags=tuple(flags) if flags is not None else None,
    )


def _with_flags(appraisal: Appraisal, flags: list[HistoryFlag] | None) -> Appraisal:
    """The trust panel with the flags from the study's whole history (when they were read)."""
    if flags is None:
        return appraisal
    return with_history_flags(appraisal, (TrustItem(f.title, f.words, flag=True) for f in flags))
