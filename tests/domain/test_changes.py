"""Change detection on real records with documented synthetic edits."""

from __future__ import annotations

import pytest

from tests.conftest import study
from trialwatch.domain.change import LoggedChange
from trialwatch.domain.change_protocol import diff_protocol
from trialwatch.domain.change_residue import residue_differs
from trialwatch.domain.change_summary import show
from trialwatch.domain.changes import diff_records, to_date


def _by_field(changes):
    return {c.field: c for c in changes}


def test_derived_only_versions_are_not_a_change():
    assert (
        diff_records(study("NCT02552212"), study("NCT02552212", "versionHolder-2024-01-03")) == []
    )


def test_status_to_terminated_is_critical():
    """SYNTHETIC edit of the real NCT02552212: status COMPLETED -> TERMINATED, whyStopped set."""
    after = study("NCT02552212")
    after["protocolSection"]["statusModule"]["overallStatus"] = "TERMINATED"
    after["protocolSection"]["statusModule"]["whyStopped"] = "Sponsor decision"
    changes = _by_field(diff_records(study("NCT02552212"), after))
    assert changes["overall_status"].severity == "critical"
    assert (changes["overall_status"].old, changes["overall_status"].new) == (
        "COMPLETED",
        "TERMINATED",
    )
    assert changes["why_stopped"].severity == "notable"


def test_results_posted_is_critical():
    """SYNTHETIC 'before' version of the real NCT02552212: results section and dates removed."""
    before = study("NCT02552212")
    before.pop("resultsSection")
    before["hasResults"] = False
    before["protocolSection"]["statusModule"].pop("resultsFirstPostDateStruct", None)
    changes = _by_field(diff_records(before, study("NCT02552212")))
    assert changes["results"].severity == "critical"
    assert changes["results"].new.startswith("posted")
    assert not any(f.startswith("resultsSection.") for f in changes)  # reported once, as results


@pytest.mark.parametrize(
    "count, severity",
    [(317, None), (330, "minor"), (381, "notable"), (380, "minor"), (250, "notable")],
)
def test_enrollment_moves(count, severity):
    after = study("NCT02552212")
    after["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = count
    changes = _by_field(diff_records(study("NCT02552212"), after))
    assert (changes["enrollment"].severity if "enrollment" in changes else None) == severity


@pytest.mark.parametrize(
    "new_date, severity", [("2015-09-20", "minor"), ("2015-11", "notable"), ("2016", "notable")]
)
def test_start_date_moves(new_date, severity):
    after = study("NCT02552212")  # start date 2015-09 (month precision)
    after["protocolSection"]["statusModule"]["startDateStruct"]["date"] = new_date
    change = _by_field(diff_records(study("NCT02552212"), after))["start_date"]
    assert (change.old, change.new, change.severity) == ("2015-09", new_date, severity)


def test_primary_outcome_time_frame_and_eligibility_edits_are_named():
    """SYNTHETIC edit of the real NCT02552212 (last update posted after its primary completion,
    2018-05): a primary outcome's time frame and the minimum age edited."""
    before = study("NCT02552212")
    after = study("NCT02552212")
    after["protocolSection"]["outcomesModule"]["primaryOutcomes"][0]["timeFrame"] = "Week 104"
    after["protocolSection"]["eligibilityModule"]["minimumAge"] = "21 Years"
    changes = _by_field(diff_records(before, after))
    frame = changes["primary_outcome_time_frame"]
    assert (frame.old, frame.new) == ("Week 52", "Week 104")
    assert frame.severity == "critical" and frame.context["flag"] == "after_primary_completion"
    age = changes["eligibility_minimum_age"]
    assert (age.old, age.new, age.severity) == ("18 Years", "21 Years", "minor")
    assert not any(f.startswith("protocolSection.") for f in changes)  # named, not "edited"


def test_an_edit_not_read_by_content_is_still_reported():
    """SYNTHETIC edit of the real NCT02552212: the brief summary rewritten."""
    after = study("NCT02552212")
    after["protocolSection"]["descriptionModule"]["briefSummary"] = "Rewritten."
    change = _by_field(diff_records(study("NCT02552212"), after))[
        "protocolSection.descriptionModule"
    ]
    assert (change.new, change.severity) == ("edited", "minor")


def test_partial_dates():
    assert str(to_date("2012-02")) == "2012-02-01"
    assert str(to_date("2012-02", month_end=True)) == "2012-02-29"
    assert str(to_date("2012", month_end=True)) == "2012-12-31"
    assert str(to_date("2013-02", month_end=True)) == "2013-02-28"
    assert str(to_date("2012-04", month_end=True)) == "2012-04-30"
    assert str(to_date("2012-12", month_end=True)) == "2012-12-31"
    assert str(to_date("2012-04-07", month_end=True)) == "2012-04-07"
    assert to_date("2012-13") is None and to_date(None) is None


def _site(facility, status, city="Oslo"):
    return {"facility": facility, "city": city, "country": "Norway", "status": status}


def test_what_is_left_of_a_module_outside_its_facts():
    """SYNTHETIC modules: residue_differs compares what the facts leave out."""
    sites = "contactsLocationsModule"
    recruiting = {"locations": [_site("Ullevål", "RECRUITING")]}
    assert residue_differs(sites, recruiting, {"locations": [_site("Ullevål", "COMPLETED")]})
    # the same site written with other case and spacing is the same site
    assert residue_differs(sites, recruiting, {"locations": [_site(" ullevål ", "COMPLETED")]})
    assert not residue_differs(sites, recruiting, {"locations": [_site("ULLEVÅL", "RECRUITING")]})
    # a site added or removed, or the whole list, is a fact reported already
    both = {"locations": [_site("Ullevål", "RECRUITING"), _site("Rikshospitalet", "RECRUITING")]}
    assert not residue_differs(sites, recruiting, both)
    assert not residue_differs(sites, recruiting, {})
    assert not residue_differs(sites, {}, recruiting)
    # an entry that is not an object is skipped, not the end of the list
    assert residue_differs(sites, {"locations": ["?", _site("Ullevål", "RECRUITING")]},
                           {"locations": ["?", _site("Ullevål", "COMPLETED")]})  # fmt: skip
    # a site listed twice: each copy is compared with its own
    twice = {"locations": [_site("Ullevål", "RECRUITING"), _site("Ullevål", "RECRUITING")]}
    second = {"locations": [_site("Ullevål", "RECRUITING"), _site("Ullevål", "COMPLETED")]}
    assert residue_differs(sites, twice, second)
    assert not residue_differs(sites, twice, twice)
    thrice = {"locations": [*twice["locations"], _site("Ullevål", "RECRUITING")]}
    assert not residue_differs(sites, thrice, thrice)
    # sites are matched by what identifies them, not by their place in the list
    ours = [_site("Ullevål", "RECRUITING"), _site("Rikshospitalet", "COMPLETED")]
    assert not residue_differs(sites, {"locations": ours}, {"locations": ours[::-1]})
    # nested: the masking is a fact, who is masked is not
    design = {"designInfo": {"maskingInfo": {"masking": "DOUBLE", "whoMasked": ["PARTICIPANT"]}}}
    masked = {"designInfo": {"maskingInfo": {"masking": "DOUBLE", "whoMasked": ["INVESTIGATOR"]}}}
    assert residue_differs("designModule", design, masked)
    unmasked = {"designInfo": {"maskingInfo": {"masking": "NONE", "whoMasked": ["PARTICIPANT"]}}}
    assert not residue_differs("designModule", design, unmasked)
    # a module whose facts are not read by content has no residue
    assert not residue_differs("sponsorCollaboratorsModule", {"a": 1}, {"a": 2})


def _registered(primary, secondary=()):
    """SYNTHETIC protocol: outcomes as (measure, time frame, description)."""

    def outcomes(items):
        return [{"measure": m, **({"timeFrame": f} if f else {}),
                 **({"description": d} if d else {})} for m, f, d in items]  # fmt: skip

    return {"protocolSection": {"outcomesModule": {
        "primaryOutcomes": outcomes(primary), "secondaryOutcomes": outcomes(secondary),
    }}}  # fmt: skip


def test_registered_outcomes_replaced_removed_added_and_described_anew():
    old = _registered([("A", "Week 4", "first"), ("B", None, None), ("Kept", "Week 4", "old")],
                      [("S1", None, None)])  # fmt: skip
    new = _registered([("C", "Week 8", None), ("kept ", "Week 6", "new")],
                      [("S1", None, None), ("S2", "Week 2", None)])  # fmt: skip
    changes = diff_protocol(old, new)["outcomesModule"]
    assert [(c.field, c.old, c.new, c.severity, c.context) for c in changes] == [
        ("primary_outcome_replaced", "A (time frame: Week 4)", "C (time frame: Week 8)",
         "notable", None),
        ("primary_outcome_removed", "B", None, "notable", None),
        ("primary_outcome_description", "old", "new", "minor", {"outcome": "kept "}),
        ("primary_outcome_time_frame", "Week 4", "Week 6", "notable", {"outcome": "kept "}),
        ("secondary_outcome_added", None, "S2 (time frame: Week 2)", "minor", None),
    ]  # fmt: skip


def _fields(changes):
    return sorted(c.field for c in changes)


def test_a_phase_or_status_edit_is_not_also_a_module_edit():
    """SYNTHETIC edits of the real NCT02552212: a summary field is reported once, by its name,
    not again as its protocol module edited."""
    after = study("NCT02552212")
    after["protocolSection"]["designModule"]["phases"] = ["PHASE2"]
    after["protocolSection"]["statusModule"]["overallStatus"] = "TERMINATED"
    assert _fields(diff_records(study("NCT02552212"), after)) == ["overall_status", "phases"]


def test_a_design_edit_outside_the_summary_keys_is_an_edit():
    """SYNTHETIC edit of the real NCT02552212: a design key that no fact reads."""
    after = study("NCT02552212")
    after["protocolSection"]["designModule"]["targetDuration"] = "2 Years"
    assert diff_records(study("NCT02552212"), after) == [
        LoggedChange("protocolSection.designModule", None, "edited", "minor")
    ]


def test_a_module_removed_or_added_whole():
    """SYNTHETIC edit of the real NCT02552212: the oversight module left out, then put back."""
    without = study("NCT02552212")
    without["protocolSection"].pop("oversightModule")
    assert diff_records(study("NCT02552212"), without) == [
        LoggedChange("protocolSection.oversightModule", None, "removed", "minor")
    ]
    assert diff_records(without, study("NCT02552212")) == [
        LoggedChange("protocolSection.oversightModule", None, "added", "minor")
    ]


def test_sections_after_results_are_read_when_results_are_posted():
    """SYNTHETIC 'before' of the real NCT02552212: no results and no document section; the
    documents posted with the results are still reported."""
    before = study("NCT02552212")
    before.pop("resultsSection")
    before.pop("documentSection")
    before["hasResults"] = False
    before["protocolSection"]["statusModule"].pop("resultsFirstPostDateStruct", None)
    fields = _fields(diff_records(before, study("NCT02552212")))
    assert "results" in fields
    assert "documentSection.largeDocumentModule" in fields
    assert not any(f.startswith("resultsSection.") for f in fields)


def _without_results(record):
    record.pop("resultsSection")
    record["hasResults"] = False
    record["protocolSection"]["statusModule"].pop("resultsFirstPostDateStruct", None)
    return record


def test_results_posted_and_withdrawn_in_words():
    """SYNTHETIC 'before' of the real NCT02552212 without results; then the results' first-posted
    date left out too."""
    before = _without_results(study("NCT02552212"))
    results = _by_field(diff_records(before, study("NCT02552212")))["results"]
    assert results == LoggedChange("results", "not posted", "posted 2020-08-17", "critical")
    undated = study("NCT02552212")
    undated["protocolSection"]["statusModule"].pop("resultsFirstPostDateStruct")
    assert _by_field(diff_records(before, undated))["results"] == LoggedChange(
        "results", "not posted", "posted", "critical"
    )
    assert _by_field(diff_records(study("NCT02552212"), before))["results"] == LoggedChange(
        "results", "posted", "no longer posted", "notable"
    )


def test_show_values_as_the_change_log_stores_them():
    assert show(None) is None
    assert show([]) == ""
    assert show(["PHASE2", "PHASE3"]) == "PHASE2; PHASE3"
    assert show(("a",)) == "a"
    assert show(317) == "317"
