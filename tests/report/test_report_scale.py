"""Scale: the largest real record and a related search of 10,000 studies stay small and fast.

The 10,000 search rows are SYNTHETIC: summary rows of real recorded studies, copied under
made-up NCT ids (NCT9xxxxxxx). Timing is reported, not asserted strictly (see bench/).
"""

from __future__ import annotations

import re
import time

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
