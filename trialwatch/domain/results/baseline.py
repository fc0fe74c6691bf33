"""Baseline characteristics per arm: every measure verbatim, with its own denominators."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trialwatch.domain.results.outcomes import (
    ClassDenoms,
    Measurement,
    Row,
    class_denoms,
    measurements,
    rows_of,
)
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


@dataclass(frozen=True)
class BaselineMeasure(AsDict):
    title: str | None
    description: str | None
    population: str | None
    param_type: str | None
    dispersion_type: str | None
    unit: str | None
    denoms: tuple[Denom, ...]  # this measure's own number analysed, when it differs
    class_denoms: tuple[ClassDenoms, ...]
    measurements: tuple[Measurement, ...]

    def rows(self) -> list[Row]:
        return rows_of(self.measurements)


@dataclass(frozen=True)
class Baseline(AsDict):
    population: str | None
    type_units_analyzed: str | None
    groups: tuple[Group, ...]
    denoms: tuple[Denom, ...]
    measures: tuple[BaselineMeasure, ...]


def _measure(m: dict[str, Any]) -> BaselineMeasure:
    return BaselineMeasure(
        title=text(m, "title"),
        description=text(m, "description"),
        population=text(m, "populationDescription"),
        param_type=text(m, "paramType"),
        dispersion_type=text(m, "dispersionType"),
        unit=text(m, "unitOfMeasure"),
        denoms=denoms(m),
        class_denoms=class_denoms(m),
        measurements=measurements(m),
    )


def parse_baseline(record: Any) -> Baseline | None:
    """The baseline module as registered; None when the record has none."""
    module = obj(record, RESULTS, "baselineCharacteristicsModule")
    if not module:
        return None
    return Baseline(
        population=text(module, "populationDescription"),
        type_units_analyzed=text(module, "typeUnitsAnalyzed"),
        groups=groups(module),
        denoms=denoms(module),
        measures=tuple(_measure(m) for m in objs(module, "measures")),
    )
