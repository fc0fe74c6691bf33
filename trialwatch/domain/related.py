"""Related trials side by side: what each one with posted results registered for its primary
outcomes, in the same plain-language line as a study page (pure: one stored record in).

Nothing is pooled, ranked or summed across trials. Each row is one trial's registered values;
the only computed piece is the no-difference check of `trialwatch.domain.findings`, which names
itself as computed. A primary outcome without a registered analysis shows its per-arm values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from trialwatch.domain import protocol
from trialwatch.domain.findings import (
    Finding,
    OutcomeFindings,
    outcome_findings,
    registered_number,
    scale_of,
)
from trialwatch.domain.records import parse_study
from trialwatch.domain.results import OutcomeMeasure, parse_outcomes
from trialwatch.domain.results.read import group_title
from trialwatch.domain.wording import allocation_words, code_words, phase_words


@dataclass(frozen=True)
class ArmValue:
    """One arm's registered value for one row of an outcome (class / category)."""

    arm: str
    analysed: str | None  # the arm's number analysed for this outcome, as registered
    row: str | None  # class and category titles, when the outcome has several rows
    value: str | None
    spread: str | None
    limits: str | None
    comment: str | None


@dataclass(frozen=True)
class RelatedOutcome:
    title: str | None
    time_frame: str | None
    unit: str | None
    param_type: str | None  # what the per-arm values are (mean, count, ...)
    analysed: tuple[tuple[str, str | None], ...]  # (arm, number analysed) as registered
    analysed_units: str | None  # "Participants", or what else was counted
    findings: tuple[Finding, ...]  # every registered analysis, registry order
    arm_values: tuple[ArmValue, ...]  # shown when no analysis is registered


@dataclass(frozen=True)
class RelatedTrial:
    nct_id: str
    title: str | None
    phase: str
    design: str  # randomised, masking, control in words
    status: str | None
    version_holder: str | None  # the record version the row comes from
    outcomes: tuple[RelatedOutcome, ...]


@dataclass(frozen=True)
class ForestRow:
    """One registered primary analysis that can be drawn: an estimate and both CI limits."""

    nct_id: str
    outcome: str
    time_frame: str | None
    comparison: str
    param_type: str  # the effect measure's type as registered ("Hazard Ratio (HR)")
    scale: str  # difference, ratio or log ratio: decides the no-effect line
    no_effect: Decimal
    estimate: Decimal
    lower: Decimal
    upper: Decimal
    ci_pct: str | None
    estimate_text: str  # as registered, for the data table
    interval_text: str


def related_trial(record: dict[str, Any]) -> RelatedTrial:
    """One related trial's row from its stored full record."""
    summary = parse_study(record)
    design = protocol.parse_design(record)
    arms = protocol.parse_arms(record)
    outcomes = [o for o in parse_outcomes(record) if o.type == "PRIMARY"]
    return RelatedTrial(
        nct_id=summary.nct_id,
        title=summary.brief_title,
        phase=phase_words(summary.phases, summary.study_type),
        design=design_words(design, arms),
        status=summary.overall_status,
        version_holder=summary.version_holder,
        outcomes=tuple(_outcome(o, outcome_findings(o)) for o in outcomes),
    )


def design_words(design: protocol.Design, arms: Iterable[protocol.Arm]) -> str:
    """ "Randomized; masking: quadruple (participant, investigator); placebo comparator"."""
    if design.observational:
        return "observational" + (
            f" ({code_words(design.observational_model).lower()})"
            if design.observational_model
            else ""
        )
    parts = [allocation_words(design.allocation) if design.allocation else "allocation not given"]
    who = ", ".join(code_words(w).lower() for w in design.who_masked)
    masking = code_words(design.masking).lower() if design.masking else "not given"
    parts.append(f"masking: {masking}" + (f" ({who})" if who else ""))
    controls = [code_words(a.type).lower() for a in arms if (a.type or "").endswith("COMPARATOR")]
    parts.append(", ".join(dict.fromkeys(controls)) if controls else "no comparator arm registered")
    return "; ".join(parts)


def _outcome(outcome: OutcomeMeasure, found: OutcomeFindings) -> RelatedOutcome:
    groups = outcome.groups
    # the first denominator is the people analysed; others count units (clinics, eyes)
    counts = outcome.denoms[0].counts if outcome.denoms else ()
    analysed = tuple((group_title(groups, c.group_id), c.value) for c in counts)
    denoms = {c.group_id: c.value for c in counts}
    values = tuple(
        ArmValue(
            arm=group_title(groups, m.group_id),
            analysed=denoms.get(m.group_id),
            row=" / ".join(t for t in (m.class_title, m.category_title) if t) or None,
            value=m.value,
            spread=m.spread,
            limits=_limits(m.lower_limit, m.upper_limit),
            comment=m.comment,
        )
        for m in outcome.measurements
    )
    return RelatedOutcome(
        title=outcome.title,
        time_frame=outcome.time_frame,
        unit=outcome.unit,
        param_type=outcome.param_type,
        analysed=analysed,
        analysed_units=outcome.denoms[0].units if outcome.denoms else None,
        findings=found.findings,
        arm_values=values,
    )


def _limits(lower: str | None, upper: str | None) -> str | None:
    if lower is None and upper is None:
        return None
    return f"{lower or 'not given'} to {upper or 'not given'}"


def forest_rows(trial: RelatedTrial, record: dict[str, Any]) -> list[ForestRow]:
    """The trial's primary analyses that have a numeric estimate and both CI limits."""
    rows = []
    outcomes = [o for o in parse_outcomes(record) if o.type == "PRIMARY"]
    for outcome, shown in zip(outcomes, trial.outcomes, strict=True):
        for analysis, finding in zip(outcome.analyses, shown.findings, strict=True):
            scale = scale_of(analysis.param_type)
            estimate = registered_number(analysis.param_value)
            lower = registered_number(analysis.ci_lower)
            upper = registered_number(analysis.ci_upper)
            if scale is None or analysis.param_type is None:
                continue
            if estimate is None or lower is None or upper is None:
                continue
            rows.append(
                ForestRow(
                    nct_id=trial.nct_id,
                    outcome=outcome.title or "(untitled outcome)",
                    time_frame=outcome.time_frame,
                    comparison=finding.comparison,
                    param_type=analysis.param_type,
                    scale=scale[0],
                    no_effect=Decimal(scale[1]),
                    estimate=estimate,
                    lower=lower,
                    upper=upper,
                    ci_pct=analysis.ci_pct,
                    estimate_text=finding.estimate or "",
                    interval_text=finding.interval or "",
                )
            )
    return rows


def export_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """`export --what related-results`: one row per primary outcome and registered analysis
    (one row with the per-arm values when an outcome has none); every value as registered,
    except the one column trialwatch works out, which says so in its name."""
    trial = related_trial(record)
    outcomes = [o for o in parse_outcomes(record) if o.type == "PRIMARY"]
    rows: list[dict[str, Any]] = []
    for outcome, shown in zip(outcomes, trial.outcomes, strict=True):
        base = {
            "NCT ID": trial.nct_id,
            "Record version": trial.version_holder,
            "Phase": trial.phase,
            "Design": trial.design,
            "Primary outcome": outcome.title,
            "Time frame": outcome.time_frame,
            "Number analysed": "; ".join(f"{arm}: {n}" for arm, n in shown.analysed) or None,
        }
        for analysis, finding in zip(outcome.analyses, shown.findings, strict=True):
            rows.append(
                base
                | {
                    "Groups compared": finding.comparison,
                    "Method": analysis.method,
                    "Estimate type": analysis.param_type,
                    "Estimate": analysis.param_value,
                    "CI level (%)": analysis.ci_pct,
                    "CI sides": analysis.ci_sides,
                    "CI lower": analysis.ci_lower,
                    "CI upper": analysis.ci_upper,
                    "p-value": analysis.p_value,
                    "Interval includes no difference (worked out by trialwatch)": (
                        None if finding.no_effect is None else finding.no_effect.includes
                    ),
                    "Per-arm values (no analysis registered)": None,
                }
            )
        if not outcome.analyses:
            values = "; ".join(
                f"{v.arm}{f' [{v.row}]' if v.row else ''}: {v.value}"
                + (f" ({v.spread})" if v.spread else "")
                for v in shown.arm_values
            )
            rows.append(base | {"Per-arm values (no analysis registered)": values or None})
    return rows
