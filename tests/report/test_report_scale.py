"""Scale: the largest real record and a related search of 10,000 studies stay small and fast.

The 10,000 search rows are SYNTHETIC: summary rows of real recorded studies, copied under
made-up NCT ids (NCT9xxxxxxx). Timing is reported, not asserted strictly (see bench/).
"""

from __future__ import annotations

import re
import time

import pytest

from tests.conftest import study
from tests.report_inputs import NSCLC_PAGE, PHELAN_PAGE, cited, fixed_context, search, summary_rows
from trialwatch.domain.records import parse_study
from trialwatch.report.render import render_pages

MAX_PAGE_BYTES = 2 * 1024 * 1024
REAL_STUDIES = ["NCT00763412", "NCT00973089", "NCT02210780", "NCT02552212", "NCT03418623",
                "NCT03630471", "NCT04267848", "NCT06171568"]  # fmt: skip


def synthetic_rows(n: int) -> list[dict[str, object]]:
    real = summary_rows(PHELAN_PAGE) + summary_rows(NSCLC_PAGE)
    real += [parse_study(study(nct)).as_dict() for nct in REAL_STUDIES]
    rows = []
    for i in range(n):
        row = dict(real[i % len(real)])
        row["nct_id"] = f"NCT9{i:07d}"  # SYNTHETIC id
        rows.append(row)
    return rows


def test_largest_record_and_ten_thousand_studies() -> None:
    started = time.perf_counter()
    ctx = fixed_context()
    big = cited("NCT04267848", "2020 - Clinical Trial Provided by National Cancer Institute")
    ctx.studies.append(big)
    ctx.searches.append(search("synthetic-10k", "SYNTHETIC: 10,000 copies", synthetic_rows(10_000)))
    pages = render_pages(ctx)
    seconds = time.perf_counter() - started
    sizes = {name: len(html.encode()) for name, html in pages.items()}
    print(f"\nrendered {len(pages)} pages in {seconds:.2f} s; largest: "
          f"{max(sizes.items(), key=lambda kv: kv[1])}")  # fmt: skip
    assert all(size < MAX_PAGE_BYTES for size in sizes.values()), sizes
    big_page = pages["search-synthetic-10k.html"]
    listed = _listed_ids(pages, "search-synthetic-10k")
    assert len(listed) == 10_000 and len(set(listed)) == 10_000  # none dropped, none twice
    assert "10,000 studies" in big_page
    big_text = pages["study-NCT04267848.html"]
    assert "Testing the Addition of a Type of Drug Called Immunotherapy" in big_text  # its title
    assert "https://clinicaltrials.gov/study/NCT04267848" in big_text
    assert seconds < 60  # generous: a sanity bound on a shared machine, not a benchmark


def _listed_ids(pages: dict[str, str], stem: str) -> list[str]:
    """The ids in the list tables of a search's pages (its own page and its continuations)."""
    ids = []
    for name, html in pages.items():
        if name == f"{stem}.html" or name.startswith(f"{stem}.page"):
            ids += re.findall(r'<tr><td>(?:<a href="[^"]*">)?(NCT9\d{7})', html)
    return ids


def test_a_fifty_thousand_study_search_is_split_into_linked_pages_under_2_mb() -> None:
    ctx = fixed_context()
    ctx.searches.append(search("synthetic-50k", "SYNTHETIC: 50,000 copies", synthetic_rows(50_000)))
    pages = render_pages(ctx)
    mine = [n for n in pages if n.startswith("search-synthetic-50k")]
    assert mine == ["search-synthetic-50k.html"] + [
        f"search-synthetic-50k.page{i}.html" for i in range(2, 11)
    ]
    sizes = {name: len(pages[name].encode()) for name in mine}
    print(f"\nlargest page of the 50,000-study search: {max(sizes.values()):,} bytes")
    assert max(sizes.values()) < MAX_PAGE_BYTES, sizes
    listed = _listed_ids(pages, "search-synthetic-50k")
    assert len(listed) == 50_000 and len(set(listed)) == 50_000
    for name in mine:  # every page links every other page of the list
        others = [n for n in mine if n != name]
        assert all(f'href="{n}"' in pages[name] for n in others), name
    assert "Studies 45,001–50,000 of 50,000" in pages["search-synthetic-50k.page10.html"]


def test_many_related_trials_with_results_are_split_and_the_category_tables_cut() -> None:
    """SYNTHETIC: 250 copies of three real records with posted results, and 300 studies in
    each other category, all under made-up ids: the cards go 100 to a page, the tables list
    their first 100 and say so, and no page reaches 2 MB."""
    import dataclasses

    from trialwatch.domain.related import related_trial
    from trialwatch.report.related import OtherTrial, RelatedEvidence

    reals = [related_trial(study(n)) for n in ("NCT00763412", "NCT02210780", "NCT02552212")]
    trials = [dataclasses.replace(reals[i % 3], nct_id=f"NCT9{i:07d}") for i in range(250)]

    def others(start: int, status: str) -> list[OtherTrial]:
        return [OtherTrial(f"NCT8{start + i:07d}", "SYNTHETIC title", "Phase 2", status,
                           "2019-05", "ACTUAL", None, None) for i in range(300)]  # fmt: skip

    related = RelatedEvidence(trials, [], [], others(0, "COMPLETED"), others(1000, "RECRUITING"),
                              others(2000, "TERMINATED"), [])  # fmt: skip
    ctx = fixed_context()
    listed = search("synthetic-related", "SYNTHETIC related", synthetic_rows(1_000))
    ctx.searches.append(dataclasses.replace(listed, related=related))
    pages = render_pages(ctx)
    cards = ["search-synthetic-related.html"] + [
        f"search-synthetic-related.results{i}.html" for i in (2, 3)
    ]
    assert [n for n in pages if n.startswith("search-synthetic-related")] == cards
    assert all(len(pages[n].encode()) < MAX_PAGE_BYTES for n in cards)
    shown = [
        re.findall(r'<h3><a class="ext" href="[^"]*">(NCT9\d{7})</a>', pages[n]) for n in cards
    ]
    assert [len(s) for s in shown] == [100, 100, 50]
    assert sorted(sum(shown, [])) == [t.nct_id for t in trials]  # each once, none dropped
    for name in cards:  # each part links the others
        assert all(f'href="{n}#posted-results"' in pages[name] for n in cards if n != name)
    first = pages[cards[0]]
    assert first.count("The first 100 of 300 by id are listed here") == 3
    assert "NCT80000099" in first and "NCT80000100" not in first


@pytest.mark.parametrize(("studies", "linked"), [(2_000, True), (2_001, False)])
def test_ids_in_a_search_list_are_links_up_to_2000_studies(studies: int, linked: bool) -> None:
    """README: above 2,000 studies the ids in the table are not links (the page stays small)."""
    ctx = fixed_context()
    ctx.searches.append(search("synthetic-links", "SYNTHETIC copies", synthetic_rows(studies)))
    page = render_pages(ctx)["search-synthetic-links.html"]
    rows = re.findall(r"<tr><td>(<a href=\"[^\"]*\">)?NCT9\d{7}", page)
    assert len(rows) == studies
    assert all(bool(link) is linked for link in rows)
