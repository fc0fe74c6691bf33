"""An outcome measure's statistical analyses, every field the registry gives, verbatim."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trialwatch.domain.results.read import AsDict, flag, text, texts


@dataclass(frozen=True)
class Analysis(AsDict):
    group_ids: tuple[str, ...]
    method: str | None
    param_type: str | None
    param_value: str | None
    ci_pct: str | None
    ci_sides: str | None
    ci_lower: str | None
    ci_upper: str | None
    p_value: str | None
    p_value_comment: str | None
    non_inferiority_type: str | None
    description: str | None
    estimate_comment: str | None = None
    dispersion_type: str | None = None
    dispersion_value: str | None = None
    statistical_comment: str | None = None
    ci_lower_comment: str | None = None
    ci_upper_comment: str | None = None
    tested_non_inferiority: bool | None = None
    non_inferiority_comment: str | None = None
    other_description: str | None = None


def parse_analysis(a: dict[str, Any]) -> Analysis:
    return Analysis(
        group_ids=texts(a, "groupIds"),
        method=text(a, "statisticalMethod"),
        param_type=text(a, "paramType"),
        param_value=text(a, "paramValue"),
        ci_pct=text(a, "ciPctValue"),
        ci_sides=text(a, "ciNumSides"),
        ci_lower=text(a, "ciLowerLimit"),
        ci_upper=text(a, "ciUpperLimit"),
        p_value=text(a, "pValue"),
        p_value_comment=text(a, "pValueComment"),
        non_inferiority_type=text(a, "nonInferiorityType"),
        description=text(a, "groupDescription"),
        estimate_comment=text(a, "estimateComment"),
        dispersion_type=text(a, "dispersionType"),
        dispersion_value=text(a, "dispersionValue"),
        statistical_comment=text(a, "statisticalComment"),
        ci_lower_comment=text(a, "ciLowerLimitComment"),
        ci_upper_comment=text(a, "ciUpperLimitComment"),
        tested_non_inferiority=flag(a, "testedNonInferiority"),
        non_inferiority_comment=text(a, "nonInferiorityComment"),
        other_description=text(a, "otherAnalysisDescription"),
    )
