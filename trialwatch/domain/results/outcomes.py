"""Outcome measures: per-arm values, their denominators (measure- and class-level), analyses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trialwatch.domain.results.analyses import Analysis, parse_analysis
from trialwatch.domain.results.read import (
    RESULTS,
    AsDict,
    Denom,
    Group,
    denoms,
    groups,
    obj,
    objs,
    text,
)

Row = tuple[str | None, str | None, dict[str, "Measurement"]]


@dataclass(frozen=True)
class Measurement(AsDict):
    group_id: str
    class_title: str | None
    category_title: str | None
    value: str | None
    spread: str | None
    lower_limit: str | None
    upper_limit: str | None
    comment: str | None


@dataclass(frozen=True)
class ClassDenoms(AsDict):
    """A class (row group) that has its own number analysed, e.g. one visit of several."""

    class_title: str | None
    denoms: tuple[Denom, ...]


def measurements(measure: dict[str, Any]) -> tuple[Measurement, ...]:
    out: list[Measurement] = []
    for klass in objs(measure, "classes"):
        class_title = text(klass, "title")
        for category in objs(klass, "categories"):
            category_title = text(category, "title")
            out.extend(
                Measurement(
                    group_id=m["groupId"],
                    class_title=class_title,
                    category_title=category_title,
                    value=text(m, "value"),
                    spread=text(m, "spread"),
                    lower_limit=text(m, "lowerLimit"),
                    upper_limit=text(m, "upperLimit"),
                    comment=text(m, "comment"),
                )
                for m in objs(category, "measurements")
                if isinstance(m.get("groupId"), str)
            )
    return tuple(out)


def class_denoms(measure: dict[str, Any]) -> tuple[ClassDenoms, ...]:
    return tuple(
        ClassDenoms(text(k, "title"), found)
        for k in objs(measure, "classes")
        if (found := denoms(k))
    )


def rows_of(found: tuple[Measurement, ...]) -> list[Row]:
    """(class title, category title, {group id: measurement}) in registry order.

    A group with no measurement in a row is simply absent from that row's dict, so the page
    shows it as not reported instead of dropping the arm.
    """
    out: dict[tuple[str | None, str | None], dict[str, Measurement]] = {}
    for m in found:
        out.setdefault((m.class_title, m.category_title), {})[m.group_id] = m
    return [(c, cat, cells) for (c, cat), cells in out.items()]


@dataclass(frozen=True)
class OutcomeMeasure(AsDict):
    type: str | None  # PRIMARY, SECONDARY, OTHER_PRE_SPECIFIED or POST_HOC, kept apart
    title: str | None
    description: str | None
    population: str | None
    time_frame: str | None
    unit: str | None
    param_type: str | None
    dispersion_type: str | None
    groups: tuple[Group, ...]
    denoms: tuple[Denom, ...]
    measurements: tuple[Measurement, ...]
    analyses: tuple[Analysis, ...]
    reporting_status: str | None = None
    class_denoms: tuple[ClassDenoms, ...] = ()
    type_units_analyzed: str | None = None  # what was counted when not people ("Clinics")
    anticipated_posting_date: str | None = None

    def rows(self) -> list[Row]:
        return rows_of(self.measurements)

    def denoms_for_class(self, class_title: str | None) -> tuple[Denom, ...]:
        """The class's own denominators; () when the measure-level ones apply."""
        return next((c.denoms for c in self.class_denoms if c.class_title == class_title), ())


def parse_outcome(m: dict[str, Any]) -> OutcomeMeasure:
    return OutcomeMeasure(
        type=text(m, "type"),
        title=text(m, "title"),
        description=text(m, "description"),
        population=text(m, "populationDescription"),
        time_frame=text(m, "timeFrame"),
        unit=text(m, "unitOfMeasure"),
        param_type=text(m, "paramType"),
        dispersion_type=text(m, "dispersionType"),
        groups=groups(m),
        denoms=denoms(m),
        measurements=measurements(m),
        analyses=tuple(parse_analysis(a) for a in objs(m, "analyses")),
        reporting_status=text(m, "reportingStatus"),
        class_denoms=class_denoms(m),
        type_units_analyzed=text(m, "typeUnitsAnalyzed"),
        anticipated_posting_date=text(m, "anticipatedPostingDate"),
    )


def parse_outcomes(record: Any) -> list[OutcomeMeasure]:
    """Every posted outcome measure, primary first as the registry lists them."""
    module = obj(record, RESULTS, "outcomeMeasuresModule")
    return [parse_outcome(m) for m in objs(module, "outcomeMeasures")]
