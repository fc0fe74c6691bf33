"""Who may join, who runs the study, where, and what it cites: classic -> v2 modules."""

from __future__ import annotations

from typing import Any

from trialwatch.domain.classic import vocabulary as v
from trialwatch.domain.classic.common import compact
from trialwatch.domain.classic.tree import Node


def eligibility(root: Node) -> dict[str, Any]:
    node = root.child("eligibility")
    if node is None:
        return {}
    criteria = node.child("criteria")
    return compact(
        eligibilityCriteria=node.block("criteria") if criteria is not None else None,
        healthyVolunteers=v.flag(node, "healthy_volunteers", v.HEALTHY_VOLUNTEERS),
        sex=v.code(node, "gender", v.SEX),
        genderBased=v.flag(node, "gender_based"),
        genderDescription=node.text("gender_description"),
        minimumAge=_age(node.text("minimum_age")),
        maximumAge=_age(node.text("maximum_age")),
        studyPopulation=node.block("study_pop"),
        samplingMethod=v.code(node, "sampling_method", v.SAMPLING),
    )


def _age(text: str | None) -> str | None:
    return None if text == "N/A" else text  # v2 leaves out an age limit the study does not set


def _contact(node: Node, role: str | None = "CONTACT") -> dict[str, Any]:
    return compact(
        name=node.text("last_name"),
        role=role,
        phone=node.text("phone"),
        phoneExt=node.text("phone_ext"),
        email=node.text("email"),
    )


def contacts_locations(root: Node) -> dict[str, Any]:
    central = [_contact(c) for tag in ("overall_contact", "overall_contact_backup")
               for c in root.children(tag)]  # fmt: skip
    officials = [
        compact(
            name=o.text("last_name"),
            affiliation=o.text("affiliation"),
            role=v.code(o, "role", v.OFFICIAL_ROLE),
        )
        for o in root.children("overall_official")
    ]
    return compact(
        centralContacts=central,
        overallOfficials=officials,
        locations=[_location(loc) for loc in root.children("location")],
    )


def _location(loc: Node) -> dict[str, Any]:
    facility = loc.child("facility")
    address = facility.child("address") if facility is not None else None
    contacts = [_contact(c) for tag in ("contact", "contact_backup") for c in loc.children(tag)]
    contacts += [
        _contact(p, v.code(p, "role", v.OFFICIAL_ROLE)) for p in loc.children("investigator")
    ]
    return compact(
        facility=facility.text("name") if facility is not None else None,
        status=v.code(loc, "status", v.STATUS),
        city=address.text("city") if address is not None else None,
        state=address.text("state") if address is not None else None,
        zip=address.text("zip") if address is not None else None,
        country=address.text("country") if address is not None else None,
        contacts=contacts,
    )


def references(root: Node) -> dict[str, Any]:
    cited = [
        compact(pmid=ref.text("PMID"), type=kind, citation=ref.text("citation"))
        for tag, kind in (("reference", None), ("results_reference", "RESULT"))
        for ref in root.children(tag)
    ]
    if root.elem.find("reference") is not None:
        root.problem(
            f"{root.path}/reference: the classic format does not say whether a reference is "
            "BACKGROUND or DERIVED; its type is left out"
        )
    links = [compact(label=link.text("description"), url=link.text("url"))
             for link in root.children("link")]  # fmt: skip
    return compact(references=cited, seeAlsoLinks=links)


def ipd_sharing(root: Node) -> dict[str, Any]:
    node = root.child("patient_data")
    if node is None:
        return {}
    kinds = [v.translate(node, f"{node.path}/ipd_info_type", t, v.IPD_INFO_TYPE)
             for t in node.texts("ipd_info_type")]  # fmt: skip
    return compact(
        ipdSharing=v.code(node, "sharing_ipd", v.IPD_SHARING),
        description=node.text("ipd_description"),
        infoTypes=kinds,
        timeFrame=node.text("ipd_time_frame"),
        accessCriteria=node.text("ipd_access_criteria"),
        url=node.text("ipd_url"),
    )
