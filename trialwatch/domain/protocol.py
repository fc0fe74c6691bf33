"""Pure parsing of the protocol pieces a report shows beyond the stored summary: design, arms.

Defensive like `trialwatch.domain.records`: a missing or oddly shaped piece is left empty,
never raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trialwatch.domain.results import _obj, _objs, _text, _texts


@dataclass(frozen=True)
class Design:
    study_type: str | None
    allocation: str | None
    intervention_model: str | None
    primary_purpose: str | None
    masking: str | None
    who_masked: tuple[str, ...]


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
    design = _obj(record, "protocolSection", "designModule")
    info = _obj(design, "designInfo")
    masking = _obj(info, "maskingInfo")
    return Design(
        study_type=_text(design, "studyType"),
        allocation=_text(info, "allocation"),
        intervention_model=_text(info, "interventionModel"),
        primary_purpose=_text(info, "primaryPurpose"),
        masking=_text(masking, "masking"),
        who_masked=_texts(masking, "whoMasked"),
    )


def parse_arms(record: Any) -> tuple[Arm, ...]:
    module = _obj(record, "protocolSection", "armsInterventionsModule")
    return tuple(
        Arm(
            label=_text(a, "label"),
            type=_text(a, "type"),
            description=_text(a, "description"),
            interventions=_texts(a, "interventionNames"),
        )
        for a in _objs(module, "armGroups")
    )


def parse_interventions(record: Any) -> tuple[Intervention, ...]:
    module = _obj(record, "protocolSection", "armsInterventionsModule")
    return tuple(
        Intervention(
            type=_text(i, "type"),
            name=_text(i, "name"),
            description=_text(i, "description"),
            other_names=_texts(i, "otherNames"),
        )
        for i in _objs(module, "interventions")
    )


def has_certificate_of_delay(record: Any) -> bool:
    """True when the sponsor filed a certificate of delay (the registry's "disposition" dates)."""
    status = _obj(record, "protocolSection", "statusModule")
    return bool(_text(status, "dispFirstSubmitDate") or _obj(status, "dispFirstPostDateStruct"))


def fda_regulated(record: Any) -> bool | None:
    """True/False as the registry's oversight flags say; None when it does not say."""
    oversight = _obj(record, "protocolSection", "oversightModule")
    flags = [oversight.get(k) for k in ("isFdaRegulatedDrug", "isFdaRegulatedDevice")]
    known = [f for f in flags if isinstance(f, bool)]
    if any(known):
        return True
    return False if len(known) == 2 else None
