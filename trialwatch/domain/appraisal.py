"""How far to trust a study: one compact panel of registry facts a reader weighs a trial by.

Each item copies what the registry records (randomised, who was masked, the control, the flow's
started and completed per arm, analysed against started for each primary outcome, the funder,
the publication agreement, the limitations text). Two items compare registered dates (registration
against the start, results submission against primary completion); the interval between them is
worked out here and says so. A flag marks a fact a reader should weigh; it is not a verdict.

`history_flags` is the slot for checks over the record's whole version history (an outcome
changed after the start, enrolment against plan). It stays None until those are worked out, and
the page shows it only when it is filled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from trialwatch.domain.dates import date_precision
from trialwatch.domain.protocol import Arm, Design, StatusDates
from trialwatch.domain.records import StudySummary
from trialwatch.domain.results import MoreInfo, OutcomeMeasure, ParticipantFlow
from trialwatch.domain.results.read import AsDict
from trialwatch.domain.wording import allocation_words, code_words, funder_words

COMPUTED = "worked out by trialwatch from the registered dates"
CONTROL_TYPES = ("PLACEBO_COMPARATOR", "SHAM_COMPARATOR", "ACTIVE_COMPARATOR", "NO_INTERVENTION")
RESULTS_MONTHS = 12  # FDAAA 801's deadline for covered trials, for the results-delay flag


@dataclass(frozen=True)
class TrustItem(AsDict):
    label: str
    value: str
    flag: bool = False  # a fact to weigh (late registration, a restrictive agreement...)
    note: str | None = None  # the registry's own text, verbatim, or how a figure was worked out


@dataclass(frozen=True)
class ArmFlow(AsDict):
    """One arm in one flow period: started and completed as registered."""

    period: str | None
    arm: str
    started: str | None
    completed: str | None
    comments: tuple[str, ...] = ()  # the registry's comments on those cells, verbatim


@dataclass(frozen=True)
class Analysed(AsDict):
    """One primary outcome, one arm: the number analysed beside the number who started."""

    outcome: str | None
    arm: str
    analysed: str | None
    units: str | None  # "Participants", or what else was counted
    started: str | None  # None: no flow arm of that name
    started_arm: str | None = None  # the flow arm matched by name


@dataclass(frozen=True)
class Appraisal(AsDict):
    items: tuple[TrustItem, ...]
    attrition: tuple[ArmFlow, ...]
    analysed: tuple[Analysed, ...]
    limitations: str | None
    history_flags: tuple[TrustItem, ...] | None = field(default=None)


def _months(date_: str) -> int:
    return int(date_[:4]) * 12 + int(date_[5:7])


def months_between(earlier: str | None, later: str | None) -> int | None:
    """Whole calendar months from one registry date to another (year-only dates: None)."""
    if date_precision(earlier) not in ("month", "day") or date_precision(later) not in (
        "month",
        "day",
    ):
        return None
    assert earlier is not None and later is not None
    return _months(later) - _months(earlier)


def _months_words(months: int) -> str:
    return f"{months} month{'' if months == 1 else 's'}"


def registration_item(dates: StatusDates, summary: StudySummary) -> TrustItem:
    submitted, start = dates.first_submitted, summary.start_date
    if not submitted or not start:
        return TrustItem("Registered", f"first submitted {submitted or 'not given'}")
    months = months_between(start, submitted)
    value = f"first submitted {submitted}; start {start}"
    if summary.start_date_type:
        value += f" ({code_words(summary.start_date_type)})"
    if months is None:
        return TrustItem("Registered", value)
    same_day_precision = date_precision(start) == "day"
    if same_day_precision and submitted == start:
        return TrustItem("Registered", f"{value}: on the day it started")
    late = submitted > start if same_day_precision else months > 0
    if late:
        gap = (
            f"{(date.fromisoformat(submitted) - date.fromisoformat(start)).days} days"
            if same_day_precision and date_precision(submitted) == "day"
            else _months_words(months)
        )
        later = f"{gap} later; {COMPUTED}"
        return TrustItem("Registered", f"{value}: after the study started ({later})", flag=True)
    if months == 0 and not same_day_precision:
        return TrustItem(
            "Registered", f"{value}: in the month it started (the start date gives no day)"
        )
    return TrustItem("Registered", f"{value}: before the study started")


def results_delay_item(dates: StatusDates, summary: StudySummary) -> TrustItem:
    submitted, done = dates.results_first_submitted, summary.primary_completion_date
    if not submitted:
        return TrustItem("Results submitted", "no results submitted to the registry")
    months = months_between(done, submitted)
    if months is None:
        return TrustItem("Results submitted", f"first submitted {submitted}")
    late = months > RESULTS_MONTHS
    return TrustItem(
        "Results submitted",
        f"first submitted {submitted}, {_months_words(months)} after primary completion ({done}; "
        f"{COMPUTED})",
        flag=late,
        note=f"Later than the {RESULTS_MONTHS} months US law (FDAAA 801) allows covered trials."
        if late
        else None,
    )


def masking_item(design: Design) -> TrustItem:
    who = ", ".join(code_words(w).lower() for w in design.who_masked)
    value = code_words(design.masking) + (f": {who}" if who else "")
    return TrustItem(
        "Masking (who was blinded)", value, flag=design.masking == "NONE",
        note=design.masking_description,
    )  # fmt: skip


def control_item(arms: tuple[Arm, ...]) -> TrustItem:
    if not arms:
        return TrustItem("Control", "no arms registered")
    controls = [a for a in arms if a.type in CONTROL_TYPES]
    if not controls:
        kinds = ", ".join(dict.fromkeys(code_words(a.type).lower() for a in arms))
        names = "; ".join(a.label or "(no label)" for a in arms)
        return TrustItem(
            "Control", f"no arm is typed as a comparator (arm types: {kinds}): {names}"
        )
    value = "; ".join(f"{code_words(a.type)}: {a.label or '(no label)'}" for a in controls)
    return TrustItem("Control", value)


def attrition(flow: ParticipantFlow | None) -> tuple[ArmFlow, ...]:
    if flow is None:
        return ()
    out = []
    for period in flow.periods:
        started, completed = period.milestone("STARTED"), period.milestone("COMPLETED")
        for group in flow.groups:
            cells = [m.count_for(group.id) if m else None for m in (started, completed)]
            comments = tuple(
                f"{kind}: {c.comment}"
                for kind, c in zip(("Started", "Completed"), cells, strict=True)
                if c is not None and c.comment
            )
            out.append(
                ArmFlow(
                    period.title, group.title or group.id,
                    cells[0].value if cells[0] else None, cells[1].value if cells[1] else None,
                    comments,
                )
            )  # fmt: skip
    return tuple(out)


def _key(title: str | None) -> str:
    return " ".join((title or "").casefold().split())


def match_arm(title: str | None, flow_titles: list[str]) -> str | None:
    """The flow arm of the same name, or the one arm whose name the outcome's name contains."""
    key = _key(title)
    if not key:
        return None
    if key in flow_titles:
        return key
    found = [t for t in flow_titles if t and (t in key or key in t)]
    return found[0] if len(found) == 1 else None


def analysed_vs_started(
    outcomes: list[OutcomeMeasure], flow: ParticipantFlow | None
) -> tuple[Analysed, ...]:
    """Per primary outcome and arm: analysed (the measure's denominator) and started (flow).

    Arms are matched by their registered names only; an arm the flow names differently shows no
    started number rather than a guessed one.
    """
    started: dict[str, tuple[str, str | None]] = {}
    if flow is not None and flow.periods and (first := flow.periods[0].milestone("STARTED")):
        for group in flow.groups:
            cell = first.count_for(group.id)
            started[_key(group.title)] = (group.title or group.id, cell.value if cell else None)
    out = []
    for outcome in (o for o in outcomes if o.type == "PRIMARY"):
        denom = outcome.denoms[0] if outcome.denoms else None
        for group in outcome.groups:
            cell = denom.count_for(group.id) if denom else None
            arm = match_arm(group.title, list(started))
            out.append(
                Analysed(
                    outcome.title, group.title or group.id, cell.value if cell else None,
                    denom.units if denom else None,
                    started[arm][1] if arm else None, started[arm][0] if arm else None,
                )
            )  # fmt: skip
    return tuple(out)


def appraise(
    summary: StudySummary,
    design: Design,
    arms: tuple[Arm, ...],
    dates: StatusDates,
    *,
    flow: ParticipantFlow | None = None,
    outcomes: list[OutcomeMeasure] | None = None,
    more_info: MoreInfo | None = None,
) -> Appraisal:
    items = [
        TrustItem(
            "Randomised",
            allocation_words(design.allocation) if not design.observational
            else "No: observational (people are not assigned a treatment)",
            flag=design.allocation == "NON_RANDOMIZED",
        ),
        masking_item(design),
        control_item(arms),
        TrustItem(
            "Funder", f"{funder_words(summary.lead_sponsor_class)}: {summary.lead_sponsor or '?'}"
        ),
        registration_item(dates, summary),
        results_delay_item(dates, summary),
    ]  # fmt: skip
    if design.observational:
        items = [items[0], *items[3:]]
    if more_info is not None:
        items.append(
            TrustItem(
                "Publication agreement", more_info.agreement_words,
                flag=bool(more_info.restrictive_agreement), note=more_info.agreement_details,
            )
        )  # fmt: skip
    return Appraisal(
        items=tuple(items),
        attrition=attrition(flow),
        analysed=analysed_vs_started(outcomes or [], flow),
        limitations=more_info.limitations if more_info else None,
    )


def with_history_flags(appraisal: Appraisal, flags: Iterable[TrustItem]) -> Appraisal:
    """The appraisal with the version-history checks filled in (TrustItems)."""
    return replace(appraisal, history_flags=tuple(flags))
