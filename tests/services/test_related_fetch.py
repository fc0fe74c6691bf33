"""Which related-search hits are fetched in full, from their summaries and what is stored."""

from __future__ import annotations

from tests.synthetic_edits import summary
from trialwatch.services.related_fetch import plan_full_fetch, with_results


def test_only_summaries_saying_results_are_posted_are_candidates() -> None:
    hits = [summary("NCT02552212"), summary("NCT03630471"), summary("NCT00763412")]
    found = with_results(hits)
    assert set(found) == {"NCT02552212", "NCT00763412"}  # the two real records with results
    for record in hits:
        nct = record["protocolSection"]["identificationModule"]["nctId"]
        if nct in found:
            posted = record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]
            assert found[nct] == posted["date"]


def test_due_when_not_stored_in_full_or_updated_since() -> None:
    candidates = {"NCT1": "2026-01-02", "NCT2": "2026-01-02", "NCT3": "2026-01-02", "NCT4": None}
    stored = {
        "NCT1": ("2026-01-02", "full"),  # unchanged since its full fetch: not asked again
        "NCT2": ("2026-01-01", "full"),  # updated since
        "NCT3": ("2026-01-02", "summary"),  # only its summary is stored
    }
    plan = plan_full_fetch(candidates, stored, cap=500)
    assert plan.to_fetch == ["NCT2", "NCT3", "NCT4"] and plan.left_out == 0


def test_the_cap_is_counted_and_cited_studies_are_skipped() -> None:
    candidates = {f"NCT{i:08d}": "2026-01-01" for i in range(10)}
    plan = plan_full_fetch(candidates, {}, cap=4, skip=["NCT00000000"])
    assert plan.to_fetch == [f"NCT{i:08d}" for i in range(1, 5)] and plan.left_out == 5
    assert plan_full_fetch(candidates, {}, cap=0).left_out == 10


def test_nothing_is_due_when_nothing_moved() -> None:
    candidates = {"NCT1": "2026-01-02"}
    assert plan_full_fetch(candidates, {"NCT1": ("2026-01-02", "full")}, cap=5).to_fetch == []
