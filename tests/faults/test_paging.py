"""Pages that never end: a repeating token, a page with nothing new, more pages than counted.

A registry (or a proxy, or a cache in front of it) that answers every `pageToken` with page 1
again used to keep `refresh` asking for ever (25,586 requests in 60 s, memory growing), holding
the refresh lock with the run row left `running`; on a search it ran to `max_studies`. Each walk
now ends with a clear error, and the run is rolled back and logged like any other failure.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import page, study
from tests.faults.harness import (
    CITED,
    SEARCH_HITS,
    Clinic,
    assert_failed_cleanly,
    assert_recovers,
    serve_pages,
)

NEVER_ENDS = r"The registry's pages do not end: page {n} {why}\..*nothing was changed"


class Looping(dict):  # type: ignore[type-arg]
    """Every token, seen or not, serves the same first page again (what a broken cache does)."""

    def __init__(self, first: dict[str, Any]) -> None:
        super().__init__({None: first})

    def __getitem__(self, key: object) -> Any:
        return dict.__getitem__(self, None)


def _break(clinic: Clinic, target: str, pages: dict[str | None, Any]) -> None:
    clinic.mock.reset()
    clinic.serve(skip=(target,))
    serve_pages(clinic, pages, target)


@pytest.mark.parametrize("target", ["ids", "search"])
def test_a_repeating_page_token_ends_the_walk(clinic: Clinic, target: str):
    records = CITED if target == "ids" else SEARCH_HITS
    before = clinic.snapshot()
    _break(clinic, target, Looping(page(*(study(n) for n in records), token="LOOP")))
    result = clinic.refresh()
    why = "adds no study that an earlier page did not already have"
    assert_failed_cleanly(clinic, before, result, NEVER_ENDS.format(n=2, why=why))
    assert clinic.calls(target) <= 3  # the probe of the cited ids, then the loop's second page
    assert_recovers(clinic)


def test_a_token_seen_before_ends_the_walk(clinic: Clinic):
    """SYNTHETIC pages of real records: page 2 is new but points back to page 2's own token."""
    first, second = (study(n) for n in SEARCH_HITS)
    before = clinic.snapshot()
    _break(clinic, "search", {None: page(first, token="A"), "A": page(second, token="A")})
    result = clinic.refresh()
    assert_failed_cleanly(
        clinic, before, result, NEVER_ENDS.format(n=2, why="repeats the page token 'A'")
    )
    assert_recovers(clinic)


def test_more_pages_than_the_total_count_allows_ends_the_walk(clinic: Clinic):
    """SYNTHETIC pages of real records: each page new, with a fresh token, but totalCount = 1."""
    hits = [*SEARCH_HITS, *CITED]
    tokens = [None, "T2", "T3", "T4"]
    pages = {
        tok: page(study(n), token=f"T{i + 2}", total=1 if tok is None else None)
        for i, (tok, n) in enumerate(zip(tokens, hits, strict=True))
    }
    before = clinic.snapshot()
    _break(clinic, "search", pages)
    result = clinic.refresh()
    why = "is more than a totalCount of 1 allows"
    assert_failed_cleanly(clinic, before, result, NEVER_ENDS.format(n=3, why=why))
    assert clinic.calls("search") == 3
    assert_recovers(clinic)
