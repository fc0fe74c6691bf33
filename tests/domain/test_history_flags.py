"""Flags from a study's whole history: real records and documented SYNTHETIC versions of them."""

from __future__ import annotations

from datetime import date

from tests import synthetic_edits as edits
from tests.conftest import classic_xml, study
from trialwatch.domain.classic import read_classic_xml
from trialwatch.domain.history_flags import HistoryVersion, history_flags


def _by_code(flags):
    return {f.code: f for f in flags}


def _history():
    """v1 first registered (SYNTHETIC), v2 completed (SYNTHETIC), v3 the real record with its
    first primary outcome replaced (SYNTHETIC), in the order they were seen."""
    return [
        HistoryVersion(1, date(2015, 9, 20), edits.first_registered()),
        HistoryVersion(2, date(2018, 8, 2), edits.completed_unchanged_outcomes()),
        HistoryVersion(3, date(2022, 9, 1),
                       edits.primary_outcome_replaced("NCT02552212", "2022-08-18")),
    ]  # fmt: skip


def test_primary_outcome_replaced_after_primary_completion_names_dates_texts_and_versions():
    flag = _by_code(history_flags(_history()))["primary_outcome_after_primary_completion"]
    assert flag.versions == (2, 3)
    assert flag.words.startswith("Primary outcome replaced after primary completion (2018-05)")
    assert "between 2018-08-02 and 2022-08-18" in flag.words
    assert flag.details["after"] == ["Number of responders at day 1 (time frame: Day 1)"]
    assert flag.details["before"][0].startswith("Percentage of Subjects With Ankylosing")


def test_primary_outcome_replaced_after_start_only():
    """The replacement seen between 2016-01-01 and the record registering completion 2018-05."""
    versions = [
        HistoryVersion(1, date(2016, 1, 1), edits.first_registered()),
        HistoryVersion(2, date(2016, 6, 1),
                       edits.primary_outcome_replaced("NCT02552212", "2016-05-01")),
    ]  # fmt: skip
    flags = _by_code(history_flags(versions))
    assert "primary_outcome_after_primary_completion" not in flags
    assert flags["primary_outcome_after_start"].words.startswith(
        "Primary outcome replaced after the study started (2015-09)"
    )


def test_enrollment_against_the_first_plan_and_the_completion_date_moves():
    flags = _by_code(history_flags(_history()))
    enrollment = flags["enrollment_vs_first_plan"]
    assert enrollment.words.startswith("Enrollment 250 planned → 317 actual (127% of the plan)")
    assert enrollment.versions == (1, 3)
    moved = flags["primary_completion_moved"]
    assert moved.words.startswith(
        "Primary completion date moved once: 2017-12 (estimated) → 2018-05 (actual)"
    )
    assert moved.versions == (1, 2)


def test_registered_after_start_and_results_submitted_late():
    first = edits.first_registered()
    first["protocolSection"]["statusModule"]["studyFirstSubmitDate"] = "2016-03-01"  # SYNTHETIC
    late = study("NCT02552212")
    late["protocolSection"]["statusModule"]["resultsFirstSubmitDate"] = "2021-06-01"  # SYNTHETIC
    flags = _by_code(history_flags([HistoryVersion(1, None, first), HistoryVersion(2, None, late)]))
    assert flags["registered_after_start"].words.startswith(
        "Registered 5 months after the study started (started 2015-09, registered 2016-03-01"
    )
    assert flags["results_submitted_late"].words.startswith(
        "Results submitted 3 years after primary completion (completed 2018-05"
    )


def test_a_real_record_on_its_own_raises_no_flag():
    """NCT02552212 as registered: registered in its start month, results 11 months after."""
    assert history_flags([HistoryVersion(1, date(2026, 11, 26), study("NCT02552212"))]) == []
    assert history_flags([]) == []


def _archived(nct: str) -> list[HistoryVersion]:
    """The real archived classic XML versions of a cited study (2018-05-29 and 2020-07-28
    snapshots, tests/fixtures/classic_xml), read as v2-shaped records."""
    return [
        HistoryVersion(n, date.fromisoformat(snapshot),
                       read_classic_xml(classic_xml(nct, snapshot)).record)
        for n, snapshot in ((1, "2018-05-29"), (2, "2020-07-28"))
    ]  # fmt: skip


def test_nct01558063_real_archived_versions():
    flags = _by_code(history_flags(_archived("NCT01558063")))
    replaced = flags["primary_outcome_after_primary_completion"]
    assert replaced.words.startswith("Primary outcome replaced after primary completion (2015-05)")
    assert replaced.versions == (1, 2)
    assert replaced.details["before"] == [
        "Change of score on Hamilton Depression Rating Scale (HDRS-24) "
        "(time frame: Baseline and Day 1 (post ketamine))"
    ]
    assert replaced.details["after"] == [
        "Number of Responders 24-hours Post-ketamine Infusion (time frame: Day 1 (post ketamine))"
    ]
    assert flags["enrollment_vs_first_plan"].words.startswith(
        "Enrollment 76 planned → 38 actual (50% of the plan)"
    )
    assert flags["primary_completion_moved"].words.startswith(
        "Primary completion date moved once: 2017-03 (estimated) → 2015-05 (actual)"
    )
    assert flags["results_submitted_late"].details["results_submitted"] == "2019-04-11"


def test_nct00088699_real_archived_versions():
    flags = _by_code(history_flags(_archived("NCT00088699")))
    assert flags["enrollment_vs_first_plan"].words.startswith(
        "Enrollment 233 → 67 (29% of the first registered figure)"
    )
    assert "primary_outcome_after_primary_completion" in flags  # rewritten after 2017-07-31
    assert "primary_completion_moved" not in flags  # 2017-07-31 in both
    assert "results_submitted_late" not in flags  # submitted 2018-07-30, within the year


def test_the_unknown_enrollment_sentinel_is_no_figure():
    """SYNTHETIC: a later version of the real NCT02552212 with the registry's 99999999."""
    odd = study("NCT02552212")
    odd["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = 99999999
    versions = [HistoryVersion(1, None, study("NCT02552212")), HistoryVersion(2, None, odd)]
    assert "enrollment_vs_first_plan" not in _by_code(history_flags(versions))
