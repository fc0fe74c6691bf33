"""The citation check: organisation names compared as whole words, acronyms only as the record
gives them, and the cited year compared with every registry year, saying which matched."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.conftest import study
from trialwatch.domain.citation import check_citation
from trialwatch.domain.records import StudySummary, parse_study

PENN_STATE = StudySummary(
    nct_id="NCT00000001",  # SYNTHETIC summary: only the fields the check reads
    lead_sponsor="Pennsylvania State University",
    start_date="2014-03",
    primary_completion_date="2016-05",
    completion_date="2016-08",
    first_posted="2013-11-04",
    results_first_posted="2018-02-01",
    last_update_posted="2020-07-09",
)


def notes(cited_as: str, summary: StudySummary = PENN_STATE, **kw: str) -> tuple[str, ...]:
    return check_citation(cited_as, summary, **kw).notes


def test_a_fragment_of_a_word_is_not_the_organisation() -> None:
    (note,) = notes("Penn 2014")
    assert "names Penn, which the registry lists neither as the lead sponsor" in note
    assert notes("Pennsylvania State University 2014") == ()
    assert notes("University, Pennsylvania State, 2014") == ()  # word order does not matter
    assert notes("Penn State 2014")  # "Penn" is not a word of the name: no guessing


@pytest.mark.parametrize("cited", ["Institute 2014", "University 2014", "The University, 2014"])
def test_common_words_alone_match_nothing(cited: str) -> None:
    (note,) = notes(cited)
    assert "lists neither as the lead sponsor" in note


def test_case_accents_and_punctuation_are_ignored() -> None:
    summary = replace(PENN_STATE, lead_sponsor="Assistance Publique - Hôpitaux de Paris")
    assert notes("assistance publique hopitaux de paris, 2014", summary) == ()


@pytest.mark.parametrize(
    ("year", "which"),
    [
        ("2013", "first posted (2013-11-04)"),
        ("2020", "last update posted (2020-07-09)"),
        ("2017", "results first submitted (2017-06-30)"),
        ("2016", "primary completion (2016-05) and completion (2016-08)"),
    ],
)
def test_every_registry_year_counts_and_the_match_is_named(year: str, which: str) -> None:
    check = check_citation(f"Pennsylvania State University {year}", PENN_STATE, "2017-06-30")
    assert check.notes == ()
    assert f"The year {year} matches the registry's {which}." in check.agreements


def test_a_year_matching_nothing_lists_every_registry_year() -> None:
    (note,) = notes("Pennsylvania State University 2015", results_first_submitted="2017-06-30")
    assert note == (
        "The citation gives the year 2015, which matches no registry date (registry: start "
        "2014; primary completion 2016; completion 2016; first posted 2013; results first "
        "submitted 2017; results first posted 2018; last update posted 2020)."
    )


def test_the_sponsors_own_acronym_from_the_record_is_recognised() -> None:
    """NCT04267848: lead sponsor "National Cancer Institute (NCI)"; official title ends
    "(ACCIO)", the study's own acronym."""
    summary = parse_study(study("NCT04267848"))
    check = check_citation("2020 - Clinical Trial Provided by NCI", summary)
    assert check.notes == ()
    assert "NCI is the registry's lead sponsor (National Cancer Institute (NCI))." in (
        check.agreements
    )
    own = check_citation("ACCIO trial, National Cancer Institute, 2020", summary)
    assert own.notes == ()
    assert "ACCIO is the study's own acronym in the registry." in own.agreements
    # an acronym the record does not give is not guessed
    assert notes("NCRI 2020", summary)


def test_real_collaborator_and_related_names() -> None:
    """NCT00763412 (lead sponsor a person, Washington University School of Medicine among the
    collaborators) and NCT02552212 (UCB BIOSCIENCES GmbH)."""
    (collab,) = notes("2013 - Clinical Trial Provided by Washington University",
                      parse_study(study("NCT00763412")))  # fmt: skip
    assert "only as a collaborator (Washington University School of Medicine)" in collab
    ucb = notes("2018 - Clinical Trial Provided by UCB Pharma", parse_study(study("NCT02552212")))
    assert ucb == (
        "The citation names UCB Pharma; the registry's lead sponsor is UCB BIOSCIENCES GmbH. "
        "They share a word but are not the same name.",
    )


def test_real_agreement_says_what_matched() -> None:
    check = check_citation("2019 - Clinical Trial Provided by Sangath",
                           parse_study(study("NCT03630471")))  # fmt: skip
    assert check.notes == ()
    assert check.agreements == (
        "The year 2019 matches the registry's primary completion (2019-01-20), completion "
        "(2019-02-28) and last update posted (2019-05-21).",
        "Sangath is the registry's lead sponsor (Sangath).",
    )


def test_the_check_returns_the_citation_and_every_registry_year() -> None:
    check = check_citation("Penn 2014", PENN_STATE)
    assert check.cited_as == "Penn 2014"
    assert check.registry_years == (
        ("start", "2014"),
        ("primary completion", "2016"),
        ("completion", "2016"),
        ("first posted", "2013"),
        ("results first posted", "2018"),
        ("last update posted", "2020"),
    )
    # the sponsor disagreement adds a note, never an empty agreement
    assert check.agreements == ("The year 2014 matches the registry's start (2014-03).",)


def test_a_record_without_dates_or_lead_sponsor_says_so() -> None:
    undated = StudySummary(nct_id="NCT00000002", lead_sponsor="Pennsylvania State University")
    assert notes("Pennsylvania State University 2015", undated) == (
        "The citation gives the year 2015, which matches no registry date (registry: none).",
    )
    no_lead = StudySummary(nct_id="NCT00000002", collaborators=("Boston Medical Trust",))
    assert notes("Boston Medical Trust", no_lead) == (
        "The citation names Boston Medical Trust, which the registry lists only as a "
        "collaborator (Boston Medical Trust); the lead sponsor is not given.",
    )
    assert notes("Oslo Heart Foundation", no_lead) == (
        "The citation names Oslo Heart Foundation, which the registry lists neither as the "
        "lead sponsor (not given) nor as a collaborator.",
    )


def test_the_collaborator_named_is_the_same_one_before_a_similar_one() -> None:
    two = replace(PENN_STATE, collaborators=("Boston Medical Trust", "Boston Children's Hospital"))
    assert notes("Boston Children's Hospital", two) == (
        "The citation names Boston Children's Hospital, which the registry lists only as a "
        "collaborator (Boston Children's Hospital); the lead sponsor is Pennsylvania State "
        "University.",
    )
    # with no collaborator of the same name, one sharing a distinctive word is named
    one = replace(PENN_STATE, collaborators=("Boston Medical Trust",))
    assert notes("Boston Trust Fund", one) == (
        "The citation names Boston Trust Fund, which the registry lists only as a collaborator "
        "(Boston Medical Trust); the lead sponsor is Pennsylvania State University.",
    )


def test_an_observational_study_cited_as_a_clinical_trial() -> None:
    observational = replace(PENN_STATE, study_type="OBSERVATIONAL")
    cited = "2014 - Clinical Trial Provided by Pennsylvania State University"
    assert notes(cited, observational) == (
        "The citation calls it a clinical trial; the registry records an observational study "
        "(people are followed, not assigned a treatment).",
    )
    assert notes(cited) == ()


@pytest.mark.parametrize(
    ("given", "cited", "same"),
    [
        ("KH and GSTT", "KH", True),  # two capitals are enough, two letters are enough
        ("Kings and Guys", "Guys", False),  # one capital among several words: not an acronym
        ("Sangath", "Sangath", True),  # a lone capitalised word in parentheses counts
        ("ABCDEFGHIJKL", "ABCDEFGHIJKL", True),  # 12 letters at most
        ("ABCDEFGHIJKLM", "ABCDEFGHIJKLM", False),
    ],
)
def test_which_parenthesised_words_are_the_sponsors_acronyms(
    given: str, cited: str, same: bool
) -> None:
    summary = replace(PENN_STATE, lead_sponsor=f"Northwind Foundation ({given})")
    assert notes(f"Provided by {cited}", summary) == (
        ()
        if same
        else (
            f"The citation names {cited}, which the registry lists neither as the lead sponsor "
            f"(Northwind Foundation ({given})) nor as a collaborator.",
        )
    )


def test_acronyms_from_every_parenthesis_and_from_the_citation_itself() -> None:
    several = replace(PENN_STATE, lead_sponsor="Northwind Foundation (NWF), Oslo (Norway)")
    assert notes("Provided by NWF", several) == ()
    given = replace(PENN_STATE, lead_sponsor="Northwind Foundation (NWF)")
    assert check_citation("Provided by the Foundation (NWF)", given).agreements == (
        "the Foundation (NWF) is the registry's lead sponsor (Northwind Foundation (NWF)).",
    )


def test_the_organisation_named_is_trimmed_of_the_study_acronym_and_punctuation() -> None:
    summary = parse_study(study("NCT04267848"))
    check = check_citation("ACCIO, National Cancer Institute, 2020", summary)
    assert check.agreements[-1] == (
        "National Cancer Institute is the registry's lead sponsor (National Cancer Institute "
        "(NCI))."
    )
    named = check_citation("ACCIO trial, National Cancer Institute, 2020", summary)
    assert named.agreements[-1] == check.agreements[-1]  # not "trial, National Cancer ..."
    xijing = replace(PENN_STATE, lead_sponsor="Xijing Hospital")
    assert check_citation("Xijing Hospital 2014", xijing).agreements[-1] == (
        "Xijing Hospital is the registry's lead sponsor (Xijing Hospital)."
    )
