"""Registry facts that change what a number means, parsed from real records."""

from __future__ import annotations

from tests.conftest import study
from tests.synthetic_edits import unmonitored_adverse_events
from trialwatch.domain import protocol, results, wording
from trialwatch.domain.citation import check_citation
from trialwatch.domain.claims import claim_evidence
from trialwatch.domain.findings import primary_findings
from trialwatch.domain.records import parse_study
from trialwatch.domain.references import parse_references, parse_see_also, safe_link


def test_class_level_denominators_are_kept_per_row() -> None:
    """NCT02210780's GISS outcome: each class has its own number analysed (79 and 87)."""
    outcome = next(o for o in results.parse_outcomes(study("NCT02210780")) if o.class_denoms)
    erythema = outcome.denoms_for_class("Erythema")
    assert [(c.group_id, c.value) for c in erythema[0].counts] == [("OG000", "79"), ("OG001", "87")]
    assert outcome.denoms_for_class("no such class") == ()


def test_baseline_every_measure_with_its_denominators() -> None:
    baseline = results.parse_baseline(study("NCT00763412"))
    assert baseline is not None
    assert [g.title for g in baseline.groups][-1] == "Total"
    assert [c.value for c in baseline.denoms[0].counts] == ["4", "4", "8"]
    age = baseline.measures[0]
    assert age.title == "Age, Categorical" and age.param_type == "COUNT_OF_PARTICIPANTS"
    assert [cat for _, cat, _ in age.rows()] == [
        "<=18 years", "Between 18 and 65 years", ">=65 years",
    ]  # fmt: skip
    z_score = next(m for m in baseline.measures if m.title == "Wt Z score")
    assert z_score.measurements[-1].upper_limit == ".33"  # verbatim, not 0.33


def test_eligibility_and_summary_as_registered() -> None:
    record = study("NCT00973089")
    el = protocol.parse_eligibility(record)
    assert (el.minimum_age, el.maximum_age, el.sex, el.healthy_volunteers) == (
        "5 Years", "8 Years", "ALL", True,
    )  # fmt: skip
    assert el.criteria is not None and el.criteria.startswith("Inclusion Criteria:")
    assert protocol.brief_summary(record)


def test_observational_design_and_phase_words() -> None:
    record = study("NCT06171568")
    design = protocol.parse_design(record)
    assert design.observational
    assert (design.observational_model, design.time_perspective, design.patient_registry) == (
        "COHORT", "PROSPECTIVE", False,
    )  # fmt: skip
    assert wording.phase_words((), "OBSERVATIONAL") == "Observational (no phase)"
    assert wording.code_words("COHORT").startswith("Cohort")
    assert "not a drug trial" not in wording.phase_words(["NA"])
    assert protocol.parse_eligibility(record).sampling_method == "NON_PROBABILITY_SAMPLE"


def test_outcome_types_are_not_merged() -> None:
    assert wording.code_words("POST_HOC").startswith("Post hoc")
    assert wording.code_words("OTHER_PRE_SPECIFIED") == "Other pre-specified"
    assert wording.code_words("NA") == "Not applicable"
    assert "older category" in wording.hypothesis_words("SUPERIORITY_OR_OTHER")


def test_planned_outcomes_with_time_frames() -> None:
    planned = protocol.parse_planned_outcomes(study("NCT03630471"))
    primary = [p for p in planned if p.type == "PRIMARY"]
    assert [p.measure for p in primary] == ["Mental health symptoms", "Idiographic problems"]
    assert primary[0].time_frame == "6 weeks"


def test_references_typed_and_linked() -> None:
    refs = parse_references(study("NCT02552212"))
    assert refs[0].type == "RESULT" and refs[0].pmid == "35296532"
    assert refs[0].pubmed_url == "https://pubmed.ncbi.nlm.nih.gov/35296532/"
    assert safe_link("javascript:alert(1)") is None
    assert safe_link("ftp://example.org/x") is None
    assert safe_link("https://example.org/a b") is None
    assert safe_link(" https://example.org/x ") == "https://example.org/x"
    assert parse_see_also(study("NCT00763412")) == ()


def test_unmonitored_adverse_events_are_not_zero_events() -> None:
    """SYNTHETIC: the module says events were not monitored; every arm has 0 at risk."""
    events = results.parse_adverse_events(unmonitored_adverse_events())
    assert events is not None and events.description == "Adverse events were not monitored."
    assert all(g.nobody_at_risk for g in events.groups)
    real = results.parse_adverse_events(study("NCT00763412"))
    assert real is not None and not any(g.nobody_at_risk for g in real.groups)


def test_adverse_event_vocabulary_assessment_and_threshold_words() -> None:
    events = results.parse_adverse_events(study("NCT02552212"))
    assert events is not None
    assert events.vocabularies() == ("MedDRA19.0",)
    assert events.assessment_types() == ("NON_SYSTEMATIC_ASSESSMENT",)
    assert "at least 5%" in wording.threshold_words(events.frequency_threshold)
    assert "Every other" in wording.threshold_words("0")


def test_a_study_cited_as_a_clinical_trial_that_is_observational_is_flagged() -> None:
    summary = parse_study(study("NCT06171568"))
    check = check_citation("2024 - Clinical Trial Provided by AP-HP", summary)
    assert any("observational study" in n for n in check.notes)
    trial = check_citation(
        "2017 - Clinical Trial Provided by UCB", parse_study(study("NCT02552212"))
    )
    assert not any("observational" in n for n in trial.notes)


def test_claims_set_beside_the_registry() -> None:
    record = study("NCT02552212")
    summary = parse_study(record)
    claim = "have proven that Ketamine effectively reduces symptoms of depression"
    [evidence] = claim_evidence(
        (claim, " "),
        summary,
        primary_findings(results.parse_outcomes(record)),
        protocol.parse_planned_outcomes(record),
        protocol.parse_eligibility(record),
    )
    assert evidence.claim == claim
    assert evidence.conditions == summary.conditions
    assert evidence.results.startswith("posted, first on 2020-08-17")
    assert evidence.primary_outcomes[0].found[0].startswith("Placebo (FAS) vs CZP 200 mg Q2W")
    assert "enrollment 317 (actual)" in evidence.population
    # without results: the planned primary outcomes, and no values
    none = study("NCT03630471")
    [planned] = claim_evidence(
        (claim,), parse_study(none), [], protocol.parse_planned_outcomes(none), None
    )
    assert planned.results == "no results posted on the registry"
    assert planned.primary_outcomes[0].found == ()
