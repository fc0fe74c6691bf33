"""What a study found, in plain words: one line per registered statistical analysis.

Everything in a line is copied from the registry (the groups compared, by name and in the order
the analysis lists them; the estimate and its type; the confidence interval with its level and
sides; the p-value; the registry's own comments, verbatim). One thing is worked out here: whether
the registered interval includes the no-effect value (0 for a difference, 1 for a ratio, odds or
hazard). That check says it was computed by trialwatch, and it is never made when the estimate's
type does not say which value means no effect. No line ever gives a verdict ("works",
"significant") the registry does not state.

Public API (also used for related studies):
  describe_analysis(analysis, groups) -> Finding
  outcome_findings(outcome) -> OutcomeFindings       # every analysis of one outcome measure
  primary_findings(outcomes) -> list[OutcomeFindings]  # the PRIMARY measures, registry order
  no_effect_check(param_type, ci_lower, ci_upper, ci_sides, ci_pct) -> NoEffectCheck | None
  p_value_sides(analysis) -> str
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from trialwatch.domain.results import Analysis, Group, OutcomeMeasure
from trialwatch.domain.results.read import AsDict, group_title
from trialwatch.domain.wording import code_words, hypothesis_words

COMPUTED = "worked out by trialwatch from the registered interval, not stated by the registry"
_RATIO = re.compile(r"(?i:ratio)|\b(OR|HR|RR|IRR)\b")
_DIFFERENCE = re.compile(r"(?i:difference)|\b(MD|RD)\b")
_LOG = re.compile(r"\blog", re.IGNORECASE)
_ONE_SIDED = re.compile(r"\b(one|1)[- ]?sided\b|\bone[- ]tailed\b", re.IGNORECASE)
_TWO_SIDED = re.compile(r"\b(two|2)[- ]?sided\b|\btwo[- ]tailed\b", re.IGNORECASE)
_MARGIN_TYPES = ("NON_INFERIORITY", "EQUIVALENCE")
_MARGIN_NOTE = (
    " This is a non-inferiority or equivalence analysis: its hypothesis is judged against the"
    " sponsor's margin (see the registry's comments), not against this value."
)


@dataclass(frozen=True)
class NoEffectCheck(AsDict):
    """Whether a registered interval includes the value meaning no difference (computed)."""

    no_effect_value: str  # "0" (a difference) or "1" (a ratio)
    scale: str  # "difference", "ratio" or "log ratio"
    includes: bool
    text: str  # the plain sentence, naming itself as computed
    computed: str = COMPUTED


@dataclass(frozen=True)
class Finding(AsDict):
    """One registered analysis, every part as registered plus the one computed check."""

    groups: tuple[str, ...]  # the compared groups' names, in the analysis's order
    comparison: str  # "Ketamine vs Placebo"
    method: str | None
    estimate: str | None  # "Hazard Ratio (HR) 1.09", as registered
    interval: str | None  # "95% CI 0.72 to 1.63 (2-sided)"
    p_value: str | None  # "p 0.655", as registered
    p_sides: str  # what the registry says about the p-value's sides
    hypothesis: str | None  # the non-inferiority type, in words
    no_effect: NoEffectCheck | None
    no_effect_note: str | None  # why there is no check, when there is none
    comments: tuple[tuple[str, str], ...]  # (label, the registry's text verbatim)
    line: str  # the whole finding as one plain sentence

    def comment(self, label: str) -> str | None:
        return next((text for name, text in self.comments if name == label), None)


@dataclass(frozen=True)
class OutcomeFindings(AsDict):
    title: str | None
    type: str | None
    time_frame: str | None
    findings: tuple[Finding, ...]
    note: str  # what the reader should know about this outcome's analyses


def registered_number(value: str | None) -> Decimal | None:
    """A registered limit as a number, only when it is plainly one ('0.72', '-2.1')."""
    if value is None:
        return None
    try:
        number = Decimal(value.strip().replace("\u2212", "-"))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def scale_of(param_type: str | None) -> tuple[str, str] | None:
    """(scale, no-effect value) from the estimate's type; None when it does not say."""
    kind = param_type or ""
    if _RATIO.search(kind):
        return ("log ratio", "0") if _LOG.search(kind) else ("ratio", "1")
    if _DIFFERENCE.search(kind):
        return "difference", "0"
    return None


def no_effect_check(
    param_type: str | None,
    ci_lower: str | None,
    ci_upper: str | None,
    ci_sides: str | None,
    ci_pct: str | None = None,
) -> NoEffectCheck | None:
    """Does the registered interval include the no-effect value? None when it cannot be told.

    A 1-sided interval may register one limit only: it runs to infinity on the other side.
    """
    scale = scale_of(param_type)
    if scale is None:
        return None
    lower, upper = registered_number(ci_lower), registered_number(ci_upper)
    if ci_sides == "ONE_SIDED" and (lower is None) != (upper is None):
        pass  # one open end
    elif lower is None or upper is None:
        return None
    kind, value = scale
    null = Decimal(value)
    includes = (lower is None or lower <= null) and (upper is None or null <= upper)
    level = f"{ci_pct}% " if ci_pct else ""
    if includes:
        where = f"includes {value}"
    elif lower is not None and lower > null:
        where = f"lies entirely above {value}"
    else:
        where = f"lies entirely below {value}"
    text = (
        f"The {level}confidence interval {where}, the value that means no difference on this "
        f"{kind} scale ({COMPUTED})."
    )
    return NoEffectCheck(value, kind, includes, text)


def p_value_sides(analysis: Analysis) -> str:
    """What the registry says about the p-value's sides: it has no field for it, so the method
    and the comments are read for "one-sided" / "two-sided" (classic records often name the
    sides in the method: "t-test, 2 sided")."""
    sources = (
        ("method", analysis.method),
        ("comment", " ".join(
            t for t in (
                analysis.p_value_comment, analysis.statistical_comment,
                analysis.other_description, analysis.description, analysis.estimate_comment,
            ) if t
        )),
    )  # fmt: skip
    said = [
        (where, side)
        for where, text in sources
        if text
        for side, pattern in (("1-sided", _ONE_SIDED), ("2-sided", _TWO_SIDED))
        if pattern.search(text)
    ]
    sides = {side for _, side in said}
    if len(sides) > 1:
        return "the registry's method or comments mention both 1-sided and 2-sided tests"
    if said:
        where, side = said[0]
        return f"{side}, as the registry's {where} says"
    return "sides not stated by the registry"


def _interval(a: Analysis) -> str | None:
    if a.ci_lower is None and a.ci_upper is None:
        return None
    level = f"{a.ci_pct}% CI" if a.ci_pct else "CI (level not given)"
    sides = f" ({code_words(a.ci_sides)})" if a.ci_sides else " (sides not given)"
    return f"{level} {a.ci_lower or 'not given'} to {a.ci_upper or 'not given'}{sides}"


def _why_no_check(a: Analysis) -> str:
    if a.ci_lower is None and a.ci_upper is None:
        return "No confidence interval is registered, so nothing is compared with no difference."
    if scale_of(a.param_type) is None:
        return (
            f"The estimate's type ({a.param_type or 'not given'}) does not say whether 0 or 1 "
            "means no difference, so trialwatch does not say whether the interval includes it."
        )
    return (
        "The registered interval is incomplete or not a plain number, so trialwatch does not "
        "say whether it includes no difference."
    )


def _comments(a: Analysis) -> tuple[tuple[str, str], ...]:
    found = (
        ("Statistical comment", a.statistical_comment),
        ("p-value comment", a.p_value_comment),
        ("Estimate comment", a.estimate_comment),
        ("Non-inferiority comment", a.non_inferiority_comment),
        ("Lower limit comment", a.ci_lower_comment),
        ("Upper limit comment", a.ci_upper_comment),
        ("Other analysis description", a.other_description),
        ("Analysis description", a.description),
    )
    return tuple((label, text) for label, text in found if text)


def describe_analysis(analysis: Analysis, groups: Iterable[Group]) -> Finding:
    """One registered analysis in plain words (the groups give the compared arms' names)."""
    groups = tuple(groups)
    names = tuple(group_title(groups, gid) for gid in analysis.group_ids)
    comparison = " vs ".join(names) or "groups not named"
    estimate = None
    if analysis.param_value is not None:
        estimate = f"{analysis.param_type or 'estimate (type not given)'} {analysis.param_value}"
        if analysis.dispersion_type and analysis.dispersion_value:
            estimate += f" ({code_words(analysis.dispersion_type)} {analysis.dispersion_value})"
    interval = _interval(analysis)
    sides = p_value_sides(analysis)
    p_value = f"p {analysis.p_value}" if analysis.p_value else None
    hypothesis = (
        hypothesis_words(analysis.non_inferiority_type) if analysis.non_inferiority_type else None
    )
    check = no_effect_check(
        analysis.param_type, analysis.ci_lower, analysis.ci_upper, analysis.ci_sides,
        analysis.ci_pct,
    )  # fmt: skip
    why_not = None if check is not None else _why_no_check(analysis)
    if check is not None and (analysis.non_inferiority_type or "").startswith(_MARGIN_TYPES):
        check = replace(check, text=check.text + _MARGIN_NOTE)
    parts = [f"{comparison}:"]
    parts.append(estimate or "no estimate registered")
    if interval:
        parts.append(f"· {interval}")
    parts.append(f"· {p_value} ({sides})" if p_value else "· no p-value registered")
    if analysis.method:
        parts.append(f"· {analysis.method}")
    return Finding(
        groups=names,
        comparison=comparison,
        method=analysis.method,
        estimate=estimate,
        interval=interval,
        p_value=p_value,
        p_sides=sides,
        hypothesis=hypothesis,
        no_effect=check,
        no_effect_note=why_not,
        comments=_comments(analysis),
        line=" ".join(parts),
    )


def _note(outcome: OutcomeMeasure, findings: tuple[Finding, ...]) -> str:
    if not findings:
        return (
            "No statistical analysis is registered for this outcome, only the per-arm values; "
            "trialwatch does not compare the arms itself."
        )
    if any(f.no_effect is None for f in findings):
        return (
            "Where the estimate's type does not say which value means no difference, or the "
            "interval is incomplete, trialwatch does not say whether it includes it."
        )
    return "Every value is as registered; only the no-difference check is worked out here."


def outcome_findings(outcome: OutcomeMeasure) -> OutcomeFindings:
    findings = tuple(describe_analysis(a, outcome.groups) for a in outcome.analyses)
    return OutcomeFindings(
        outcome.title, outcome.type, outcome.time_frame, findings, _note(outcome, findings)
    )


def primary_findings(outcomes: Iterable[OutcomeMeasure]) -> list[OutcomeFindings]:
    """What each primary outcome's analyses found, in the registry's order."""
    return [outcome_findings(o) for o in outcomes if o.type == "PRIMARY"]
