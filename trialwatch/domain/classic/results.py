"""The results of a classic record (`<clinical_results>`) as API v2's `resultsSection`.

Values stay the registry's text ("NA", "<0.001"); group ids become v2's (O1 -> OG000) in the
same order; adverse events stay per group, each group with its own totals, never pooled.
"""

from __future__ import annotations

from typing import Any

from trialwatch.domain.classic import vocabulary as v
from trialwatch.domain.classic.common import compact, group_ref, groups_of
from trialwatch.domain.classic.events import adverse_events
from trialwatch.domain.classic.tree import Node, iso_date

FLOW, BASELINE, OUTCOME = "FG", "BG", "OG"


def results_section(root: Node) -> dict[str, Any]:
    results = root.child("clinical_results")
    if results is None:
        return {}
    return compact(
        participantFlowModule=_flow(results.child("participant_flow")),
        baselineCharacteristicsModule=_baseline(results.child("baseline")),
        outcomeMeasuresModule=compact(
            outcomeMeasures=[_outcome(o) for o in results.walk("outcome_list", "outcome")]
        ),
        adverseEventsModule=adverse_events(results.child("reported_events")),
        moreInfoModule=_more_info(results),
    )


def _counts(node: Node, tag: str, prefix: str, key: str) -> list[dict[str, Any]]:
    """`<participants group_id="P1" count="5">comment</participants>` -> {groupId, key, comment}."""
    return [
        compact(groupId=group_ref(p, prefix), comment=p.own_text(), **{key: p.attr("count")})
        for p in node.walk(f"{tag}_list", tag)
    ]


def _flow(node: Node | None) -> dict[str, Any] | None:
    if node is None:
        return None
    periods = [
        compact(
            title=p.text("title"),
            milestones=[
                compact(
                    type=m.text("title"),
                    achievements=_counts(m, "participants", FLOW, "numSubjects"),
                )
                for m in p.walk("milestone_list", "milestone")
            ],  # fmt: skip
            dropWithdraws=[
                compact(
                    type=d.text("title"), reasons=_counts(d, "participants", FLOW, "numSubjects")
                )
                for d in p.walk("drop_withdraw_reason_list", "drop_withdraw_reason")
            ],  # fmt: skip
        )
        for p in node.walk("period_list", "period")
    ]
    return compact(
        preAssignmentDetails=node.text("pre_assignment_details"),
        recruitmentDetails=node.text("recruitment_details"),
        typeUnitsAnalyzed=node.text("units_analyzed"),
        groups=groups_of(node, FLOW),
        periods=periods,
    )


def _denoms(node: Node, prefix: str) -> list[dict[str, Any]]:
    out = []
    for analyzed in node.walk("analyzed_list", "analyzed"):
        analyzed.text("scope")  # Overall/Measure/Class: where the denominator sits says it
        counts = [compact(groupId=group_ref(c, prefix), value=c.attr("value"))
                  for c in analyzed.walk("count_list", "count")]  # fmt: skip
        out.append(compact(units=analyzed.text("units"), counts=counts))
    return out


def _classes(node: Node, prefix: str) -> list[dict[str, Any]]:
    return [
        compact(
            title=klass.text("title"),
            denoms=_denoms(klass, prefix),
            categories=[
                compact(
                    title=cat.text("title"),
                    measurements=[
                        _measurement(m, prefix) for m in cat.walk("measurement_list", "measurement")
                    ],
                )  # fmt: skip
                for cat in klass.walk("category_list", "category")
            ],
        )
        for klass in node.walk("class_list", "class")
    ]


def _measurement(m: Node, prefix: str) -> dict[str, Any]:
    return compact(
        groupId=group_ref(m, prefix),
        value=m.attr("value"),
        spread=m.attr("spread"),
        lowerLimit=m.attr("lower_limit"),
        upperLimit=m.attr("upper_limit"),
        comment=m.own_text(),
    )


def _baseline(node: Node | None) -> dict[str, Any] | None:
    if node is None:
        return None
    measures = [
        compact(
            title=m.text("title"),
            description=m.text("description"),
            populationDescription=m.text("population"),
            paramType=v.code(m, "param", v.MEASURE_PARAM),
            dispersionType=v.code(m, "dispersion", v.BASELINE_DISPERSION),
            unitOfMeasure=m.text("units"),
            denoms=_denoms(m, BASELINE),
            classes=_classes(m, BASELINE),
        )
        for m in node.walk("measure_list", "measure")
    ]
    return compact(
        populationDescription=node.text("population"),
        typeUnitsAnalyzed=node.text("units_analyzed"),
        groups=groups_of(node, BASELINE),
        denoms=_denoms(node, BASELINE),
        measures=measures,
    )


def _outcome(node: Node) -> dict[str, Any]:
    measure = node.child("measure")
    described: dict[str, Any] = {}
    if measure is not None:
        _same_as_outcome(node, measure)
        described = compact(
            paramType=v.code(measure, "param", v.MEASURE_PARAM),
            dispersionType=measure.text("dispersion"),  # v2 keeps these words too
            unitOfMeasure=measure.text("units"),
            typeUnitsAnalyzed=measure.text("units_analyzed"),
            denoms=_denoms(measure, OUTCOME),
            classes=_classes(measure, OUTCOME),
        )
    posting = node.text("posting_date")
    return compact(
        type=v.code(node, "type", v.OUTCOME_TYPE),
        title=node.text("title"),
        description=node.text("description"),
        populationDescription=node.text("population"),
        # v2 marks an outcome whose data are promised for later; classic gives its date
        reportingStatus="NOT_POSTED" if posting else "POSTED",
        anticipatedPostingDate=iso_date(posting),
        timeFrame=node.text("time_frame"),
        groups=groups_of(node, OUTCOME),
        **described,
        analyses=[_analysis(a) for a in node.walk("analysis_list", "analysis")],
    )


def _same_as_outcome(outcome: Node, measure: Node) -> None:
    """The measure repeats the outcome's title, description and population; a difference has
    no v2 place and is named."""
    for tag in ("title", "description", "population"):
        mine = measure.text(tag)
        if mine is not None and mine != outcome.text(tag):
            outcome.problem(f"{measure.path}/{tag}: differs from the outcome's, not carried")


def _analysis(a: Node) -> dict[str, Any]:
    return compact(
        groupIds=[
            v.group_id(g, g.own_text(), OUTCOME) for g in a.walk("group_id_list", "group_id")
        ],  # fmt: skip
        groupDescription=a.text("groups_desc"),
        nonInferiorityType=v.code(a, "non_inferiority_type", v.NON_INFERIORITY),
        nonInferiorityComment=a.text("non_inferiority_desc"),
        pValue=a.text("p_value"),
        pValueComment=a.text("p_value_desc"),
        statisticalMethod=a.text("method"),
        statisticalComment=a.text("method_desc"),
        paramType=a.text("param_type"),
        paramValue=a.text("param_value"),
        dispersionType=v.code(a, "dispersion_type", v.ANALYSIS_DISPERSION),
        dispersionValue=a.text("dispersion_value"),
        ciPctValue=a.text("ci_percent"),
        ciNumSides=v.code(a, "ci_n_sides", v.CI_SIDES),
        ciLowerLimit=a.text("ci_lower_limit"),
        ciUpperLimit=a.text("ci_upper_limit"),
        ciUpperLimitComment=a.text("ci_upper_limit_na_comment"),
        estimateComment=a.text("estimate_desc"),
        otherAnalysisDescription=a.text("other_analysis_desc"),
    )


_PI_EMPLOYEE = {
    "All Principal Investigators ARE employed by the organization sponsoring the study.": True,
    "Principal Investigators are NOT employed by the organization sponsoring the study.": False,
}
_NO_RESTRICTION = "There is NOT an agreement between Principal Investigators and the Sponsor"


def _more_info(results: Node) -> dict[str, Any]:
    agreements = results.child("certain_agreements")
    certain: dict[str, Any] = {}
    if agreements is not None:
        employee = agreements.text("pi_employee")
        restriction = agreements.text("restrictive_agreement")
        certain = compact(piSponsorEmployee=_PI_EMPLOYEE.get(employee or ""))
        if restriction and restriction.startswith(_NO_RESTRICTION):
            certain["restrictiveAgreement"] = False
        elif restriction:
            results.problem(f"{agreements.path}/restrictive_agreement: not mapped: "
                            f"{restriction!r:.120}")  # fmt: skip
        if employee and employee not in _PI_EMPLOYEE:
            results.problem(f"{agreements.path}/pi_employee: not mapped: {employee!r:.120}")
    contact = results.child("point_of_contact")
    return compact(
        limitationsAndCaveats=compact(description=results.text("limitations_and_caveats")),
        certainAgreement=certain,
        pointOfContact=compact(
            title=contact.text("name_or_title"),
            organization=contact.text("organization"),
            phone=contact.text("phone"),
            phoneExt=contact.text("phone_ext"),
            email=contact.text("email"),
        ) if contact is not None else None,
    )  # fmt: skip
