"""Scale: the largest real record and a related search of 10,000 studies stay small and fast.

The 10,000 search rows are SYNTHETIC: summary rows of real recorded studies, copied under
made-up NCT ids (NCT9xxxxxxx). Timing is reported, not asserted strictly (see bench/).
"""

from __future__ import annotations

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
    assert big_page.count("NCT9") >= 10_000  # every study listed, none dropped to fit
    assert "10,000 studies" in big_page
    assert "NCT04267848" in pages["study-NCT04267848.html"]
    assert seconds < 60  # generous: a sanity bound on a shared machine, not a benchmark
