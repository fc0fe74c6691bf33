"""The protocol part of a classic record as API v2's `protocolSection` (docs/classic-xml.md)."""

from __future__ import annotations

from typing import Any

from trialwatch.domain.classic import vocabulary as v
from trialwatch.domain.classic.common import compact, date_struct, plain_date
from trialwatch.domain.classic.contacts import (
    contacts_locations,
    eligibility,
    ipd_sharing,
    references,
)
from trialwatch.domain.classic.tree import Node


def protocol_section(root: Node) -> dict[str, Any]:
    return compact(
        identificationModule=_identification(root),
        statusModule=_status(root),
        sponsorCollaboratorsModule=_sponsors(root),
        oversightModule=_oversight(root),
        descriptionModule=compact(
            briefSummary=root.block("brief_summary"),
            detailedDescription=root.block("detailed_description"),
        ),
        conditionsModule=compact(
            conditions=root.texts("condition"), keywords=root.texts("keyword")
        ),
        designModule=_design(root),
        armsInterventionsModule=_arms_interventions(root),
        outcomesModule=compact(
            primaryOutcomes=_outcomes(root, "primary_outcome"),
            secondaryOutcomes=_outcomes(root, "secondary_outcome"),
            otherOutcomes=_outcomes(root, "other_outcome"),
        ),
        eligibilityModule=eligibility(root),
        contactsLocationsModule=contacts_locations(root),
        referencesModule=references(root),
        ipdSharingStatementModule=ipd_sharing(root),
    )


def _identification(root: Node) -> dict[str, Any]:
    ids = root.child("id_info")
    org_id = secondary = aliases = None
    nct_id = None
    if ids is not None:
        nct_id = ids.text("nct_id")
        org_id = ids.text("org_study_id")
        secondary = [{"id": s} for s in ids.texts("secondary_id")]
        aliases = ids.texts("nct_alias")
    source = root.text("source")
    return compact(
        nctId=nct_id,
        nctIdAliases=aliases,
        orgStudyIdInfo=compact(id=org_id),
        secondaryIdInfos=secondary,
        organization=compact(fullName=source),
        briefTitle=root.text("brief_title"),
        officialTitle=root.text("official_title"),
        acronym=root.text("acronym"),
    )


def _status(root: Node) -> dict[str, Any]:
    return compact(
        statusVerifiedDate=plain_date(root, "verification_date"),
        overallStatus=v.code(root, "overall_status", v.STATUS),
        lastKnownStatus=v.code(root, "last_known_status", v.STATUS),
        whyStopped=root.text("why_stopped"),
        expandedAccessInfo=compact(hasExpandedAccess=v.flag(root, "has_expanded_access")),
        startDateStruct=date_struct(root, "start_date"),
        primaryCompletionDateStruct=date_struct(root, "primary_completion_date"),
        completionDateStruct=date_struct(root, "completion_date"),
        studyFirstSubmitDate=plain_date(root, "study_first_submitted", "firstreceived_date"),
        studyFirstSubmitQcDate=plain_date(root, "study_first_submitted_qc"),
        studyFirstPostDateStruct=date_struct(root, "study_first_posted"),
        resultsFirstSubmitDate=plain_date(
            root, "results_first_submitted", "firstreceived_results_date"
        ),
        resultsFirstSubmitQcDate=plain_date(root, "results_first_submitted_qc"),
        resultsFirstPostDateStruct=date_struct(root, "results_first_posted"),
        dispFirstSubmitDate=plain_date(
            root, "disposition_first_submitted", "firstreceived_results_disposition_date"
        ),
        dispFirstSubmitQcDate=plain_date(root, "disposition_first_submitted_qc"),
        dispFirstPostDateStruct=date_struct(root, "disposition_first_posted"),
        lastUpdateSubmitDate=plain_date(root, "last_update_submitted", "lastchanged_date"),
        lastUpdatePostDateStruct=date_struct(root, "last_update_posted"),
    )


def _agency(node: Node | None) -> dict[str, Any] | None:
    if node is None:
        return None
    return compact(name=node.text("agency"), **{"class": v.code(node, "agency_class",
                                                                v.AGENCY_CLASS)})  # fmt: skip


def _sponsors(root: Node) -> dict[str, Any]:
    sponsors = root.child("sponsors")
    party = root.child("responsible_party")
    responsible = None
    if party is not None:
        responsible = compact(
            type=v.code(party, "responsible_party_type", v.RESPONSIBLE_PARTY),
            investigatorFullName=party.text("investigator_full_name"),
            investigatorTitle=party.text("investigator_title"),
            investigatorAffiliation=party.text("investigator_affiliation"),
            oldNameTitle=party.text("name_title"),
            oldOrganization=party.text("organization"),
        )
    lead = collaborators = None
    if sponsors is not None:
        lead = _agency(sponsors.child("lead_sponsor"))
        collaborators = [_agency(c) for c in sponsors.children("collaborator")]
    return compact(responsibleParty=responsible, leadSponsor=lead, collaborators=collaborators)


def _oversight(root: Node) -> dict[str, Any]:
    info = root.child("oversight_info")
    if info is None:
        return {}
    return compact(
        oversightHasDmc=v.flag(info, "has_dmc"),
        isFdaRegulatedDrug=v.flag(info, "is_fda_regulated_drug"),
        isFdaRegulatedDevice=v.flag(info, "is_fda_regulated_device"),
        isUnapprovedDevice=v.flag(info, "is_unapproved_device"),
        isPpsd=v.flag(info, "is_ppsd"),
        isUsExport=v.flag(info, "is_us_export"),
    )


def _design(root: Node) -> dict[str, Any]:
    info = root.child("study_design_info")
    design: dict[str, Any] = {}
    if info is not None:
        design = compact(
            allocation=v.code(info, "allocation", v.ALLOCATION),
            interventionModel=v.code(info, "intervention_model", v.INTERVENTION_MODEL),
            interventionModelDescription=info.text("intervention_model_description"),
            primaryPurpose=v.code(info, "primary_purpose", v.PRIMARY_PURPOSE),
            observationalModel=v.code(info, "observational_model", v.OBSERVATIONAL_MODEL),
            timePerspective=v.code(info, "time_perspective", v.TIME_PERSPECTIVE),
            maskingInfo=compact(
                **v.masking(info, info.text("masking")),
                maskingDescription=info.text("masking_description"),
            ),
        )
    study_type = root.text("study_type")
    enrollment = root.child("enrollment")
    access = root.child("expanded_access_info")
    return compact(
        studyType=v.translate(root, f"{root.path}/study_type", study_type, v.STUDY_TYPE),
        patientRegistry=True if study_type == "Observational [Patient Registry]" else None,
        expandedAccessTypes=_access_types(access) if access is not None else None,
        targetDuration=root.text("target_duration"),
        phases=v.phases(root, root.text("phase")),
        designInfo=design,
        bioSpec=compact(
            retention=v.code(root, "biospec_retention", v.BIOSPEC),
            description=root.block("biospec_descr"),
        ),
        enrollmentInfo=_enrollment(enrollment) if enrollment is not None else None,
    )


def _access_types(node: Node) -> dict[str, Any]:
    return compact(
        individual=v.flag(node, "expanded_access_type_individual"),
        intermediate=v.flag(node, "expanded_access_type_intermediate"),
        treatment=v.flag(node, "expanded_access_type_treatment"),
    )


def _enrollment(node: Node) -> dict[str, Any]:
    written = node.own_text()
    count = int(written) if written and written.isdigit() else None
    if written and count is None:
        node.problem(f"{node.path}: not a whole number: {written!r:.40}, left out")
    kind = v.translate(node, f"{node.path}@type", node.attr("type"), v.DATE_TYPE)
    return compact(count=count, type=kind)


def _arms_interventions(root: Node) -> dict[str, Any]:
    interventions = []
    names_by_arm: dict[str, list[str]] = {}
    for item in root.children("intervention"):
        kind, name = item.text("intervention_type"), item.text("intervention_name")
        labels = item.texts("arm_group_label")
        for arm_label in labels:  # v2 lists "Type: Name" under each arm the intervention is in
            names_by_arm.setdefault(arm_label, []).append(f"{kind}: {name}" if kind else str(name))
        interventions.append(
            compact(
                type=v.translate(
                    item, f"{item.path}/intervention_type", kind, v.INTERVENTION_TYPE
                ),  # fmt: skip
                name=name,
                description=item.text("description"),
                armGroupLabels=labels,
                otherNames=item.texts("other_name"),
            )
        )
    arms = [
        compact(
            label=(label := arm.text("arm_group_label")),
            type=v.code(arm, "arm_group_type", v.ARM_TYPE),
            description=arm.text("description"),
            interventionNames=names_by_arm.get(label or ""),
        )
        for arm in root.children("arm_group")
    ]
    return compact(armGroups=arms, interventions=interventions)


def _outcomes(root: Node, tag: str) -> list[dict[str, Any]]:
    return [
        compact(
            measure=o.text("measure"),
            description=o.text("description"),
            timeFrame=o.text("time_frame"),
        )
        for o in root.children(tag)
    ]
