"""Pure parsing of the protocol pieces a report shows beyond the stored summary: design, arms.

Defensive like `trialwatch.domain.records`: a missing or oddly shaped piece is left empty,
never raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trialwatch.domain.results.read import flag, obj, objs, text, texts


@dataclass(frozen=True)
class Design:
    study_type: str | None
    allocation: str | None
    intervention_model: str | None
    primary_purpose: str | None
    masking: str | None
    who_masked: tuple[str, ...]
    phases: tuple[str, ...] = ()
    masking_description: str | None = None
    model_description: str | None = None
    # observational studies
    observational_model: str | None = None
    time_perspective: str | None = None
    patient_registry: bool | None = None
    target_duration: str | None = None

    @property
    def observational(self) -> bool:
        return self.study_type == "OBSERVATIONAL"


@dataclass(frozen=True)
class Intervention:
    type: str | None
    name: str | None
    description: str | None
    other_names: tuple[str, ...]


@dataclass(frozen=True)
class Arm:
    label: str | None
    type: str | None
    description: str | None
    interventions: tuple[str, ...]  # as the registry names them, e.g. "Drug: Ketamine"


def parse_design(record: Any) -> Design:
    design = obj(record, "protocolSection", "designModule")
    info = obj(design, "designInfo")
    masking = obj(info, "maskingInfo")
    return Design(
        study_type=text(design, "studyType"),
        allocation=text(info, "allocation"),
        intervention_model=text(info, "interventionModel"),
        primary_purpose=text(info, "primaryPurpose"),
        masking=text(masking, "masking"),
        who_masked=texts(masking, "whoMasked"),
        phases=texts(design, "phases"),
        masking_description=text(masking, "maskingDescription"),
        model_description=text(info, "interventionModelDescription"),
        observational_model=text(info, "observationalModel"),
        time_perspective=text(info, "timePerspective"),
        patient_registry=flag(design, "patientRegistry"),
        target_duration=text(design, "targetDuration"),
    )


def parse_arms(record: Any) -> tuple[Arm, ...]:
    module = obj(record, "protocolSection", "armsInterventionsModule")
    return tuple(
        Arm(
            label=text(a, "label"),
            type=text(a, "type"),
            description=text(a, "description"),
            interventions=texts(a, "interventionNames"),
        )
        for a in objs(module, "armGroups")
    )


def parse_interventions(record: Any) -> tuple[Intervention, ...]:
    module = obj(record, "protocolSection", "armsInterventionsModule")
    return tuple(
        Intervention(
            type=text(i, "type"),
            name=text(i, "name"),
            description=text(i, "description"),
            other_names=texts(i, "otherNames"),
        )
        for i in objs(module, "interventions")
    )


def has_certificate_of_delay(record: Any) -> bool:
    """True when the sponsor filed a certificate of delay (the registry's "disposition" dates)."""
    status = obj(record, "protocolSection", "statusModule")
    return bool(text(status, "dispFirstSubmitDate") or obj(status, "dispFirstPostDateStruct"))


@dataclass(frozen=True)
class Eligibility:
    """Who could take part, as registered (the criteria text verbatim)."""

    criteria: str | None
    healthy_volunteers: bool | None
    sex: str | None
    gender_based: bool | None
    gender_description: str | None
    minimum_age: str | None
    maximum_age: str | None
    std_ages: tuple[str, ...]
    study_population: str | None  # observational studies describe who is followed
    sampling_method: str | None


def parse_eligibility(record: Any) -> Eligibility:
    module = obj(record, "protocolSection", "eligibilityModule")
    return Eligibility(
        criteria=text(module, "eligibilityCriteria"),
        healthy_volunteers=flag(module, "healthyVolunteers"),
        sex=text(module, "sex"),
        gender_based=flag(module, "genderBased"),
        gender_description=text(module, "genderDescription"),
        minimum_age=text(module, "minimumAge"),
        maximum_age=text(module, "maximumAge"),
        std_ages=texts(module, "stdAges"),
        study_population=text(module, "studyPopulation"),
        sampling_method=text(module, "samplingMethod"),
    )


def brief_summary(record: Any) -> str | None:
    return text(obj(record, "protocolSection", "descriptionModule"), "briefSummary")


@dataclass(frozen=True)
class PlannedOutcome:
    """An outcome the protocol says it will measure (no values: those are in the results)."""

    type: str  # PRIMARY, SECONDARY or OTHER_PRE_SPECIFIED
    measure: str | None
    description: str | None
    time_frame: str | None


_PLANNED = (
    ("primaryOutcomes", "PRIMARY"),
    ("secondaryOutcomes", "SECONDARY"),
    ("otherOutcomes", "OTHER_PRE_SPECIFIED"),
)


def parse_planned_outcomes(record: Any) -> tuple[PlannedOutcome, ...]:
    module = obj(record, "protocolSection", "outcomesModule")
    return tuple(
        PlannedOutcome(kind, text(o, "measure"), text(o, "description"), text(o, "timeFrame"))
        for key, kind in _PLANNED
        for o in objs(module, key)
    )


@dataclass(frozen=True)
class StatusDates:
    """Submission and posting dates with their types (ACTUAL / ESTIMATED), as registered."""

    first_submitted: str | None
    first_posted: str | None
    first_posted_type: str | None
    results_first_submitted: str | None
    results_first_posted: str | None
    results_first_posted_type: str | None
    last_update_posted: str | None
    last_update_posted_type: str | None
    status_verified: str | None


def parse_status_dates(record: Any) -> StatusDates:
    status = obj(record, "protocolSection", "statusModule")

    def posted(key: str) -> tuple[str | None, str | None]:
        struct = obj(status, key)
        return text(struct, "date"), text(struct, "type")

    first, results, update = (
        posted(k)
        for k in ("studyFirstPostDateStruct", "resultsFirstPostDateStruct",
                  "lastUpdatePostDateStruct")
    )  # fmt: skip
    return StatusDates(
        first_submitted=text(status, "studyFirstSubmitDate"),
        first_posted=first[0],
        first_posted_type=first[1],
        results_first_submitted=text(status, "resultsFirstSubmitDate"),
        results_first_posted=results[0],
        results_first_posted_type=results[1],
        last_update_posted=update[0],
        last_update_posted_type=update[1],
        status_verified=text(status, "statusVerifiedDate"),
    )
