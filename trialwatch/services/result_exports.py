"""Export rows for registered analyses and baseline characteristics (one row per natural unit).

Values are copied as registered; the one computed column says so in its name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from trialwatch.domain.findings import describe_analysis
from trialwatch.domain.results import Denom, parse_baseline, parse_outcomes
from trialwatch.domain.results.outcomes import Measurement

NO_DIFFERENCE = "CI includes no difference (worked out by trialwatch)"


def _count(denoms: tuple[Denom, ...], group_id: str) -> str | None:
    cell = denoms[0].count_for(group_id) if denoms else None
    return cell.value if cell else None


def measurement_cells(m: Measurement) -> dict[str, str | None]:
    """A measurement's cells as registered: its row labels, value, spread, limits, comment."""
    return {
        "Class": m.class_title,
        "Category": m.category_title,
        "Value": m.value,
        "Spread": m.spread,
        "Lower limit": m.lower_limit,
        "Upper limit": m.upper_limit,
        "Comment": m.comment,
    }


def analysis_rows(nct_id: str, version: str | None, raw: dict[str, Any]) -> Iterator[dict]:
    """One row per registered statistical analysis of one study."""
    for number, outcome in enumerate(parse_outcomes(raw), 1):
        for analysis in outcome.analyses:
            finding = describe_analysis(analysis, outcome.groups)
            check = finding.no_effect
            yield {
                "NCT ID": nct_id,
                "Record version": version,
                "Outcome number": number,
                "Outcome type": outcome.type,
                "Outcome title": outcome.title,
                "Groups compared": " vs ".join(finding.groups),
                "Method": analysis.method,
                "Estimate type": analysis.param_type,
                "Estimate": analysis.param_value,
                "Dispersion type": analysis.dispersion_type,
                "Dispersion": analysis.dispersion_value,
                "CI level (%)": analysis.ci_pct,
                "CI sides": analysis.ci_sides,
                "CI lower": analysis.ci_lower,
                "CI upper": analysis.ci_upper,
                "p-value": analysis.p_value,
                "p-value sides": finding.p_sides,
                "p-value comment": analysis.p_value_comment,
                "Statistical comment": analysis.statistical_comment,
                "Estimate comment": analysis.estimate_comment,
                "Non-inferiority type": analysis.non_inferiority_type,
                "Non-inferiority comment": analysis.non_inferiority_comment,
                "Analysis description": analysis.description,
                NO_DIFFERENCE: None if check is None else check.includes,
            }


def baseline_rows(nct_id: str, version: str | None, raw: dict[str, Any]) -> Iterator[dict]:
    """One row per baseline measure, arm and class/category, with that arm's denominator."""
    baseline = parse_baseline(raw)
    if baseline is None:
        return
    titles = {g.id: g.title for g in baseline.groups}
    for measure in baseline.measures:
        for m in measure.measurements:
            own = measure.denoms
            yield {
                "NCT ID": nct_id,
                "Record version": version,
                "Measure": measure.title,
                "Measure type": measure.param_type,
                "Dispersion": measure.dispersion_type,
                "Unit": measure.unit,
                "Arm ID": m.group_id,
                "Arm": titles.get(m.group_id),
                **measurement_cells(m),
                "Number analysed": _count(own or baseline.denoms, m.group_id),
                "Units analysed": (own or baseline.denoms)[0].units
                if (own or baseline.denoms)
                else None,
            }
