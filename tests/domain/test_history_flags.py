"""Flags from a study's whole history: real records and documented SYNTHETIC versions of them."""

from __future__ import annotations

from datetime import date

from tests import synthetic_edits as edits
from tests.conftest import classic_xml, study
from trialwatch.domain.classic import read_classic_xml
from trialwatch.domain.history_flags import HistoryFlag, HistoryVersion, history_flags


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


def _rec(
    *, start=None, completion=None, completion_type=None, registered=None, results=None,
    updated=None, update_submitted=None, count=None, count_type=None, primaries=None,
):  # fmt: skip
    """A SYNTHETIC record holding only the fields the flags read."""
    status = {}
    if start:
        status["startDateStruct"] = {"date": start}
    if completion:
        status["primaryCompletionDateStruct"] = {"date": completion, "type": completion_type}
    if registered:
        status["studyFirstSubmitDate"] = registered
    if results:
        status["resultsFirstSubmitDate"] = results
    if updated:
        status["lastUpdatePostDateStruct"] = {"date": updated}
    if update_submitted:
        status["lastUpdateSubmitDate"] = update_submitted
    info = {k: v for k, v in (("count", count), ("type", count_type)) if v is not None}
    outcomes = [{"measure": m, **({"timeFrame": f} if f else {})} for m, f in (primaries or [])]
    return {
        "protocolSection": {
            "statusModule": status,
            "designModule": {"enrollmentInfo": info},
            "outcomesModule": {"primaryOutcomes": outcomes},
        }
    }


def _flags(*records, observed=None):
    return history_flags([HistoryVersion(i, observed, r) for i, r in enumerate(records, start=1)])


def test_registered_late_flag_in_full_and_its_boundary():
    """Registered on the last day of the start month is on time; a day later is late."""
    assert _flags(_rec(start="2020-01", registered="2020-01-31")) == []
    (flag,) = _flags(_rec(registered="2020-02-01"), _rec(start="2020-01"))
    assert flag == HistoryFlag(
        "registered_after_start",
        "Registered 1 day after the study started (started 2020-01, registered 2020-02-01; "
        "versions 1 and 2)",
        (1, 2),
        {"start_date": "2020-01", "registered": "2020-02-01", "days": 1},
    )
    assert flag.as_json()["title"] == "Registered after the study started"
    assert _flags(_rec(start="2020-01")) == []  # no registration date: nothing to say


def test_time_spans_in_words():
    def words(registered):
        (flag,) = _flags(_rec(start="2020-01-31", registered=registered))
        return flag.words.split(" after ")[0]

    assert words("2020-03-30") == "Registered 59 days"
    assert words("2020-03-31") == "Registered 2 months"  # 60 days: whole months from here
    assert words("2020-04-30") == "Registered 2 months"  # the 30th is not yet the 31st
    assert words("2021-02-28") == "Registered 1 year"
    assert words("2022-03-31") == "Registered 2 years 2 months"
    assert words("2021-03-31") == "Registered 1 year 2 months"
    assert words("2021-02-28").endswith("1 year") and words("2020-05-31").endswith("4 months")
    assert words("2020-02-29") == "Registered 29 days"
    assert words("2021-03-01") == "Registered 1 year 1 month"


def test_results_late_flag_in_full_and_its_one_year_boundary():
    on_time = _rec(completion="2020-01-31", completion_type="ACTUAL", results="2021-01-30")
    assert _flags(on_time) == []  # 365 days
    (flag,) = _flags(_rec(completion="2020-01-31", completion_type="ACTUAL", results="2021-01-31"))
    assert flag == HistoryFlag(
        "results_submitted_late",
        "Results submitted 1 year after primary completion (completed 2020-01-31, results "
        "submitted 2021-01-31; version 1)",
        (1,),
        {"primary_completion": "2020-01-31", "primary_completion_type": "ACTUAL",
         "results_submitted": "2021-01-31", "days": 366},
    )  # fmt: skip
    assert _flags(_rec(results="2021-01-31")) == []  # no completion date: nothing to measure


def test_enrollment_flag_in_full_and_its_20_percent_boundary():
    def flags(*figures):
        return _flags(*(_rec(count=c, count_type=t) for c, t in figures))

    assert flags((100, "ESTIMATED"), (110, "ACTUAL")) == []
    assert flags((100, "ESTIMATED"), (119, "ACTUAL")) == []
    (flag,) = flags((100, "ESTIMATED"), (120, "ACTUAL"))
    assert flag == HistoryFlag(
        "enrollment_vs_first_plan",
        "Enrollment 100 planned → 120 actual (120% of the plan) (versions 1 and 2)",
        (1, 2),
        {"first": 100, "first_type": "ESTIMATED", "actual": 120, "percent": 120},
    )
    (none_enrolled,) = flags((100, "ACTUAL"), (0, "ACTUAL"))
    assert none_enrolled.words == (
        "Enrollment 100 → 0 (0% of the first registered figure) (versions 1 and 2)"
    )
    assert flags((100, "ESTIMATED"), (300, "ESTIMATED")) == []  # no actual figure yet
    assert flags((0, "ESTIMATED"), (100, "ACTUAL")) == []  # a plan of 0 gives no share
    # a version that gives a type but no count is not the first figure
    (later,) = _flags(
        _rec(count_type="ESTIMATED"), _rec(count=100, count_type="ESTIMATED"),
        _rec(count=150, count_type="ACTUAL"),
    )  # fmt: skip
    assert later.versions == (2, 3)


def test_completion_moves_in_full_the_30_day_boundary_and_three_versions():
    assert _flags(_rec(completion="2020-01-01"), _rec(completion="2020-01-30")) == []
    (flag,) = _flags(
        _rec(completion="2020-01-01"), _rec(completion="2020-01-31", completion_type="ACTUAL"),
        _rec(completion="2020-01-31"), _rec(completion="2020-02-10"),
    )  # fmt: skip
    assert flag == HistoryFlag(
        "primary_completion_moved",
        "Primary completion date moved 2 times: 2020-01-01 → 2020-01-31 (actual) → 2020-02-10 "
        "(versions 1, 2 and 4)",
        (1, 2, 4),
        {"dates": ["2020-01-01", "2020-01-31", "2020-02-10"], "moves": 2},
    )


def test_primary_outcome_change_on_the_reference_day_is_not_after_it():
    """Seen on the last day of the completion month: not after completion, but after start."""
    a = _rec(primaries=[("A", "Week 4")])
    b = _rec(start="2019-01", completion="2020-01", primaries=[("B", "Week 4")])
    (flag,) = history_flags([HistoryVersion(1, date(2020, 1, 31), a), HistoryVersion(2, None, b)])
    assert flag == HistoryFlag(
        "primary_outcome_after_start",
        "Primary outcome replaced after the study started (2019-01): changed between "
        "2020-01-31 and ? (versions 1 and 2). Before: A (time frame: Week 4). After: B (time "
        "frame: Week 4).",
        (1, 2),
        {"reference_date": "2019-01", "changed_after": "2020-01-31", "changed_by": "?",
         "before": ["A (time frame: Week 4)"], "after": ["B (time frame: Week 4)"]},
    )  # fmt: skip


def test_primary_outcome_added_dated_by_the_submitted_update_dates():
    """No posted update date: the update's submission date dates the change; an outcome added
    with none removed is "changed", and one without a time frame is named alone."""
    a = _rec(update_submitted="2020-06-01", primaries=[("A", "Week 4")])
    b = _rec(start="2019-01", completion="2020-01", update_submitted="2020-09-01",
             primaries=[("A", "Week 4"), ("B", None)])  # fmt: skip
    (flag,) = _flags(a, b)
    assert flag.words == (
        "Primary outcome changed after primary completion (2020-01): changed between "
        "2020-06-01 and 2020-09-01 (versions 1 and 2). Before: (none). After: B."
    )
    # the later version's date when it was seen, when it gives no update date
    b2 = _rec(start="2019-01", completion="2020-01", primaries=[("B", None)])
    seen = history_flags([HistoryVersion(1, None, a), HistoryVersion(2, date(2020, 10, 2), b2)])
    assert "between 2020-06-01 and 2020-10-02" in seen[0].words
    assert "Before: A (time frame: Week 4). After: B." in seen[0].words


def test_primary_outcomes_first_given_later_are_not_a_change():
    a = _rec(start="2019-01", completion="2020-01")
    b = _rec(start="2019-01", completion="2020-01", primaries=[("B", "Week 4")])
    assert history_flags([HistoryVersion(1, date(2021, 1, 1), a), HistoryVersion(2, None, b)]) == []
    assert history_flags([HistoryVersion(1, date(2021, 1, 1), b), HistoryVersion(2, None, a)]) == []


def test_primary_outcomes_removed_and_added_are_listed_one_by_one():
    def words(before, after):
        a = _rec(primaries=[(m, None) for m in before])
        b = _rec(start="2019-01", primaries=[(m, None) for m in after])
        (flag,) = _flags(a, b, observed=date(2020, 1, 1))
        return flag.words.split("). ", 1)[1]

    assert words("ABC", "A") == "Before: B; C. After: (none)."
    assert words("A", "BC") == "Before: A. After: B; C."
