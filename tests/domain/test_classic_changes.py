"""The real changes between the two archived snapshots of each cited study, and nothing else.

Each expected value is what the two XML files say (checked against the file text here too).
"""

from __future__ import annotations

import pytest

from tests.conftest import CLASSIC_FIXTURES, classic_xml
from trialwatch.domain.changes import diff_records
from trialwatch.domain.classic import read_classic_xml


def _diff(nct: str) -> dict[str, object]:
    old = read_classic_xml(classic_xml(nct, "2018-05-29")).record
    new = read_classic_xml(classic_xml(nct, "2020-07-28")).record
    return {c.field: c for c in diff_records(old, new)}


def _text(nct: str, snapshot: str) -> str:
    return (CLASSIC_FIXTURES / f"{nct}__{snapshot}.xml").read_text(encoding="utf-8")


def test_nct00088699_2018_to_2020() -> None:
    old, new = _text("NCT00088699", "2018-05-29"), _text("NCT00088699", "2020-07-28")
    assert '<enrollment type="Actual">233</enrollment>' in old
    assert '<enrollment type="Actual">67</enrollment>' in new
    assert "<condition>Bipolar Depression</condition>" in old
    assert "<condition>Bipolar Depression</condition>" not in new
    assert "<intervention_name>Riluzole</intervention_name>" in old
    assert "<intervention_name>Placebo</intervention_name>" in new
    assert '<results_first_posted type="Actual">October 12, 2018</results_first_posted>' in new

    changes = _diff("NCT00088699")
    assert (changes["enrollment"].old, changes["enrollment"].new) == ("233", "67")
    assert changes["enrollment"].severity == "notable"
    assert changes["conditions"].old == (
        "Depression; Mood Disorders; Bipolar Depression; Major Depresssion"
    )
    assert changes["conditions"].new == "Depression; Mood Disorders; Major Depresssion"
    assert changes["intervention_removed"].old == "DRUG: Riluzole"
    assert changes["intervention_added"].new == "DRUG: Placebo"
    primary = changes["primary_outcome_replaced"]  # after primary completion (2017-07-31)
    assert primary.severity == "critical"
    assert primary.old.startswith("Efficacy (reduction from baseline in Montgomery Asberg")
    assert primary.new == "MADRS Score - Baseline (time frame: Baseline)"
    assert changes["primary_outcome_added"].new == (
        "MADRS Score - Day 1 Following Intervention (time frame: Day 1)"
    )
    assert (changes["results"].new, changes["results"].severity) == (
        "posted 2018-10-12", "critical",
    )  # fmt: skip
    assert changes["results_first_posted"].new == "2018-10-12"
    assert "overall_status" not in changes and "start_date" not in changes  # both unchanged


def test_nct01558063_2018_to_2020() -> None:
    old, new = _text("NCT01558063", "2018-05-29"), _text("NCT01558063", "2020-07-28")
    assert "<overall_status>Active, not recruiting</overall_status>" in old
    assert "<overall_status>Completed</overall_status>" in new
    assert '<primary_completion_date type="Anticipated">March 2017</primary_completion_date>' in old
    assert '<primary_completion_date type="Actual">May 2015</primary_completion_date>' in new
    assert '<enrollment type="Anticipated">76</enrollment>' in old
    assert '<enrollment type="Actual">38</enrollment>' in new

    changes = _diff("NCT01558063")
    status = changes["overall_status"]
    assert (status.old, status.new, status.severity) == (
        "ACTIVE_NOT_RECRUITING", "COMPLETED", "notable",
    )  # fmt: skip
    assert (changes["enrollment"].old, changes["enrollment"].new) == ("76", "38")
    assert (changes["enrollment_type"].old, changes["enrollment_type"].new) == (
        "ESTIMATED", "ACTUAL",
    )  # fmt: skip
    completion = changes["primary_completion_date"]
    assert (completion.old, completion.new, completion.severity) == ("2017-03", "2015-05",
                                                                     "notable")  # fmt: skip
    kind = changes["primary_completion_date_type"]
    assert (kind.old, kind.new) == ("ESTIMATED", "ACTUAL")
    assert changes["primary_outcome_replaced"].old == (
        "Change of score on Hamilton Depression Rating Scale (HDRS-24) "
        "(time frame: Baseline and Day 1 (post ketamine))"
    )
    assert changes["primary_outcome_replaced"].new == (
        "Number of Responders 24-hours Post-ketamine Infusion (time frame: Day 1 (post ketamine))"
    )
    assert changes["results"].new == "posted 2019-07-16"
    assert changes["protocolSection.contactsLocationsModule"].new == "edited"  # new PI


@pytest.mark.parametrize(
    "nct", ["NCT00749203", "NCT01304147", "NCT01306760", "NCT02012335", "NCT02233452"]
)
def test_snapshots_that_differ_only_in_layout_show_no_change(nct) -> None:
    """These studies' two files differ (the 2020 bulk file lays text out without blank lines
    and drops comments) but not in what the registry holds."""
    old, new = _text(nct, "2018-05-29"), _text(nct, "2020-07-28")
    assert old.replace("May 29, 2018", "") != new.replace("July 28, 2020", "")
    assert _diff(nct) == {}


def test_a_registry_rewrite_of_the_baseline_is_a_change_and_a_dash_is_not() -> None:
    """NCT01367119: the 2020 file has the baseline "Gender" measure rewritten as "Sex: Female,
    Male" (Count of Participants), a real edit; its outcome description's "–" became "-"."""
    old, new = _text("NCT01367119", "2018-05-29"), _text("NCT01367119", "2020-07-28")
    assert "four point scale (0, 1, 2, 3) – absent" in old
    assert "four point scale (0, 1, 2, 3) - absent" in new
    assert "<title>Gender</title>" in old and "<title>Sex: Female, Male</title>" in new
    assert list(_diff("NCT01367119")) == ["resultsSection.baselineCharacteristicsModule"]


def test_history_versions_can_leave_references_out() -> None:
    """The 2018 -> 2020 references of NCT00088699 changed; without references they are not
    reported, as between registry history versions."""
    old = read_classic_xml(classic_xml("NCT00088699", "2018-05-29")).record
    new = read_classic_xml(classic_xml("NCT00088699", "2020-07-28")).record
    fields = {c.field for c in diff_records(old, new, references=False)}
    assert "protocolSection.referencesModule" in _diff("NCT00088699")
    assert "protocolSection.referencesModule" not in fields and "enrollment" in fields
