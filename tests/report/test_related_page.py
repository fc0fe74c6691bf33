"""Related trials side by side, end to end: a real refresh fetches the hits with posted results in
full, the search page and the export show their registered values (checked against the raw real
records), and a refresh in which nothing moved asks for nothing more."""

from __future__ import annotations

import csv
import re
from html import unescape
from pathlib import Path

import responses

from tests.conftest import API, ids_matcher, page, param_matcher, study
from tests.synthetic_edits import summary
from trialwatch.config import load_config
from trialwatch.services import exports
from trialwatch.services import pipeline as services

WITH_RESULTS = ("NCT02552212", "NCT00763412")  # real records with posted results
WITHOUT = ("NCT03630471", "NCT06171568")


def _serve(ctgov: responses.RequestsMock) -> None:
    hits = [summary(n) for n in WITH_RESULTS + WITHOUT]
    ctgov.get(f"{API}/studies", json=page(*hits, total=len(hits)),
              match=[param_matcher(**{"query.cond": "x"})])  # fmt: skip
    ctgov.get(f"{API}/studies", json=page(*(study(n) for n in WITH_RESULTS)),
              match=[ids_matcher(*WITH_RESULTS)])  # fmt: skip


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_hits_with_results_are_fetched_once_and_shown_as_registered(ctgov, make_config, db_url):
    config = load_config(make_config(studies=[], searches={"s": {"query.cond": "x"}}))
    _serve(ctgov)
    first = services.refresh(config)
    full_asks = [c for c in ctgov.calls if "filter.ids" in c.request.url]
    assert len(full_asks) == 1  # both in one batch (of at most 50)
    assert first.studies_fetched == 4 + 2

    index = services.render_report(config)
    text = _text((index.parent / "search-s.html").read_text())
    assert "Trials with posted results (2)" in text
    for nct in WITH_RESULTS:
        record = study(nct)
        primaries = [
            m
            for m in record["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
            if m.get("type") == "PRIMARY"
        ]
        for measure in primaries:
            assert _text(measure["title"]) in text
            for analysis in measure.get("analyses", []):
                assert analysis["paramValue"] in text
                if "pValue" in analysis:
                    assert f"p {analysis['pValue']}" in text
            if not measure.get("analyses"):
                for cls in measure.get("classes", []):
                    for cat in cls.get("categories", []):
                        for m in cat.get("measurements", []):
                            assert m["value"] in text
    assert "Completed, no results posted" in text and "Ongoing" in text
    assert "<svg" in (index.parent / "search-s.html").read_text()  # the estimates chart

    ctgov.calls.reset()
    again = services.refresh(config)  # nothing moved: the probe only
    assert not [c for c in ctgov.calls if "filter.ids" in c.request.url]
    assert again.new_versions == 0


def test_related_results_export_is_one_row_per_analysis(ctgov, make_config, tmp_path: Path):
    config = load_config(make_config(studies=[], searches={"s": {"query.cond": "x"}}))
    _serve(ctgov)
    services.refresh(config)
    out = tmp_path / "related.csv"
    exports.export_to(config, "related-results", out)
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    expected = 0
    for nct in WITH_RESULTS:
        for m in study(nct)["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]:
            if m.get("type") == "PRIMARY":
                expected += max(1, len(m.get("analyses", [])))
    assert len(rows) == expected
    estimates = {r["Estimate"] for r in rows if r["Estimate"]}
    registered = {
        a["paramValue"]
        for m in study("NCT02552212")["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
        if m.get("type") == "PRIMARY"
        for a in m.get("analyses", [])
    }
    assert registered <= estimates
    assert {r["Search"] for r in rows} == {"s"}
