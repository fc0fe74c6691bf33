"""Pure: what changed in posted outcome measures, down to the number.

Outcome measures are matched by title and type, arms by title (see change_facts), rows by class
and category, analyses by the arms they compare and their parameter. One change per fact: a value,
a spread or limit, a participants-analysed count, an analysis's estimate, CI or p-value, an
outcome measure or analysis added or removed. A primary outcome's change is notable (posted
results changed); any other outcome's is minor.
"""

from __future__ import annotations

from typing import Any

from trialwatch.domain.change import LoggedChange
from trialwatch.domain.change_facts import (
    ArmTitles,
    Key,
    arm_titles,
    compare_facts,
    groups_of,
    renames,
    unique_keys,
)
from trialwatch.domain.raw import obj, objs, text

MEASUREMENT_PARTS = {"value": "outcome_value", "spread": "outcome_spread",
                     "lowerLimit": "outcome_lower_limit", "upperLimit": "outcome_upper_limit",
                     "comment": "outcome_value_comment"}  # fmt: skip
DETAILS = ("timeFrame", "unitOfMeasure", "paramType", "dispersionType", "description",
           "populationDescription")  # fmt: skip
ANALYSIS_PARTS = {"paramValue": "analysis_estimate", "pValue": "analysis_p_value",
                  "statisticalMethod": "analysis_method"}  # fmt: skip


def diff_outcome_measures(old: dict[str, Any], new: dict[str, Any]) -> list[LoggedChange]:
    """Changes between two versions' posted outcome measures (resultsSection records)."""
    a, b = _measures(old), _measures(new)
    out: list[LoggedChange] = []
    for key in list(b) + [k for k in a if k not in b]:
        if key not in a or key not in b:
            out.append(_added_or_removed(b.get(key) or a[key], added=key not in a))
        else:
            out += _measure_changes(a[key], b[key])
    return out


def outcome_context(measure: dict[str, Any]) -> dict[str, str]:
    context = {"outcome_type": text(measure, "type") or "", "outcome": text(measure, "title") or ""}
    if text(measure, "timeFrame"):
        context["time_frame"] = text(measure, "timeFrame") or ""
    return context


def severity_for(measure: dict[str, Any]) -> str:
    return "notable" if text(measure, "type") == "PRIMARY" else "minor"


def _measures(record: dict[str, Any]) -> dict[Key, dict[str, Any]]:
    module = obj(record, "resultsSection", "outcomeMeasuresModule")
    return unique_keys(
        ((text(m, "type") or "", " ".join((text(m, "title") or "").split())), m)
        for m in objs(module, "outcomeMeasures")
    )


def _added_or_removed(measure: dict[str, Any], *, added: bool) -> LoggedChange:
    title = text(measure, "title")
    return LoggedChange("outcome_added" if added else "outcome_removed",
                        None if added else title, title if added else None,
                        severity_for(measure), outcome_context(measure))  # fmt: skip


def _measure_changes(a: dict[str, Any], b: dict[str, Any]) -> list[LoggedChange]:
    arms = arm_titles(groups_of(a), groups_of(b))
    context, severity = outcome_context(b), severity_for(b)

    def make(key: Key, before: str | None, after: str | None) -> LoggedChange:
        kind, *where = key
        if kind == "detail":
            return LoggedChange("outcome_detail", before, after, severity,
                                {**context, "param": where[0]})  # fmt: skip
        if kind == "analysed":
            return LoggedChange("outcome_analysed", before, after, severity,
                                {**context, "group": where[0], "param": where[1]})  # fmt: skip
        group, klass, category = where[:3]
        place = {"group": group, **({"class": klass} if klass else {}),
                 **({"category": category} if category else {})}  # fmt: skip
        return LoggedChange(MEASUREMENT_PARTS[kind], before, after, severity, {**context, **place})

    out = renames(arms) + compare_facts(_facts(a, arms.old), _facts(b, arms.new), make)
    return out + _analyses(a, b, arms, context, severity)


def _facts(measure: dict[str, Any], titles: dict[str, str]) -> dict[Key, str | None]:
    facts: dict[Key, str | None] = {("detail", d): text(measure, d) for d in DETAILS}
    for denom in objs(measure, "denoms"):
        units = text(denom, "units") or ""
        for count in objs(denom, "counts"):
            facts[("analysed", titles.get(text(count, "groupId") or "", "?"), units)] = text(
                count, "value"
            )
    for klass in objs(measure, "classes"):
        for category in objs(klass, "categories"):
            for m in objs(category, "measurements"):
                place = (
                    titles.get(text(m, "groupId") or "", "?"),
                    text(klass, "title") or "",
                    text(category, "title") or "",
                )
                for part in MEASUREMENT_PARTS:
                    if text(m, part) is not None:
                        facts[(part, *place)] = text(m, part)
    return {k: v for k, v in facts.items() if v is not None}


def _analyses(
    a: dict[str, Any], b: dict[str, Any], arms: ArmTitles, context: dict[str, str], severity: str
) -> list[LoggedChange]:
    old, new = _analysis_map(a, arms.old), _analysis_map(b, arms.new)
    out: list[LoggedChange] = []
    for key in list(new) + [k for k in old if k not in new]:
        label = {**context, "analysis": " vs ".join(key[0].split("|")) or "(arms not given)"}
        if key not in old or key not in new:
            added = key not in old
            summary = _analysis_summary(new[key] if added else old[key])
            out.append(LoggedChange("analysis_added" if added else "analysis_removed",
                                    None if added else summary, summary if added else None,
                                    severity, label))  # fmt: skip
            continue
        for part, code in ANALYSIS_PARTS.items():
            before, after = text(old[key], part), text(new[key], part)
            if before != after:
                out.append(LoggedChange(code, before, after, severity, label))
        if _ci(old[key]) != _ci(new[key]):
            out.append(LoggedChange("analysis_ci", _ci(old[key]), _ci(new[key]), severity, label))
    return out


def _analysis_map(measure: dict[str, Any], titles: dict[str, str]) -> dict[Key, dict[str, Any]]:
    def key(analysis: dict[str, Any]) -> Key:
        ids = [i for i in analysis.get("groupIds") or [] if isinstance(i, str)]
        arms = "|".join(sorted(titles.get(i, i) for i in ids))
        return (arms, text(analysis, "paramType") or "")

    return unique_keys((key(x), x) for x in objs(measure, "analyses"))


def _ci(analysis: dict[str, Any]) -> str | None:
    low, high = text(analysis, "ciLowerLimit"), text(analysis, "ciUpperLimit")
    if low is None and high is None:
        return None
    pct = text(analysis, "ciPctValue")
    return f"{low or '?'} to {high or '?'}" + (f" ({pct}% CI)" if pct else "")


def _analysis_summary(analysis: dict[str, Any]) -> str:
    bits = [text(analysis, "paramType"), text(analysis, "paramValue"), _ci(analysis)]
    p = text(analysis, "pValue")
    return ", ".join(b for b in bits if b) + (f", p {p}" if p else "")
