"""Fixed report inputs built from real recorded records, for the render, golden and scale tests.

No database: the pure context builders of trialwatch.report.context are fed stored-record-like
values with fixed times, so the rendered pages are the same on every run.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from tests.conftest import FIXTURES, classic_xml, load_fixture, study
from trialwatch.config import SearchConfig, StudyConfig
from trialwatch.domain.change import LoggedChange
from trialwatch.domain.classic import read_classic_xml
from trialwatch.domain.records import parse_study
from trialwatch.report.context import (
    CitedStudy,
    Provenance,
    ReportContext,
    SearchReport,
    VersionInfo,
    cited_study,
    search_report,
)

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
FETCHED = datetime(2026, 11, 26, 6, 0, 12, tzinfo=UTC)
TODAY = date(2026, 11, 26)
PHELAN_PAGE = "search_pages/biomcp__search_phelan_limit50_20260811.json"
NSCLC_PAGE = "search_pages/biomcp__search_nsclc_egfr_l858r_20260811.json"


def version_of(record: dict[str, Any], number: int = 1) -> VersionInfo:
    holder = record.get("derivedSection", {}).get("miscInfoModule", {}).get("versionHolder")
    return VersionInfo(number, holder, FETCHED, FETCHED)


CLINIC_CLAIM = (
    "have proven that Ketamine effectively reduces debilitating symptoms associated with "
    "depression, anxiety and chronic pain"
)  # the clinic's page (config.toml ships it for its own two studies)


def cited(nct: str, cited_as: str, record: dict[str, Any] | None = None, **kw: Any) -> CitedStudy:
    record = record if record is not None else study(nct)
    return cited_study(
        StudyConfig(nct, cited_as, "clinic page", tuple(kw.pop("claims", ()))),
        record,
        version_of(record, kw.pop("version_no", 1)),
        changes_since_previous=kw.pop("changes_since_previous", []),
        changes_recent=kw.pop("changes_recent", []),
        today=TODAY,
        flags=kw.pop("flags", None),
    )


def summary_rows(relpath: str) -> list[dict[str, Any]]:
    """The stored summary fields of each study on a real recorded search page."""
    return [parse_study(s).as_dict() for s in load_fixture(relpath)["studies"]]


def search(name: str, title: str, rows: list[dict[str, Any]], **kw: Any) -> SearchReport:
    return search_report(
        SearchConfig(name, title, {"query.cond": title}),
        f"search-{name}.html",
        rows,
        kw.pop("changes", []),
        total_count=kw.pop("total_count", len(rows)),
        capped=False,
        last_success_at=FETCHED,
    )


def change(
    id_: int, nct: str, field: str, old: str | None, new: str, severity: str
) -> LoggedChange:
    return LoggedChange(field, old, new, severity, nct_id=nct, id=id_, detected_at=FETCHED,
                        version_holder="2024-01-03")  # fmt: skip


def results_edits() -> list[LoggedChange]:
    """The changes the diff finds in two SYNTHETIC edits of the real NCT00763412 (a BMI value
    in one arm, a new serious adverse event), logged as the store would log them."""
    from tests import synthetic_edits as edits
    from trialwatch.domain.changes import diff_records

    base = study("NCT00763412")
    found = diff_records(base, edits.bmi_value_changed()) + diff_records(
        base, edits.new_serious_event()
    )
    return [
        c.logged(nct_id="NCT00763412", id=9 + i, detected_at=FETCHED, version_holder="2024-01-03")
        for i, c in enumerate(found)
    ]


def fixed_context(data_timestamp: str | None = "2026-11-25T09:00:05") -> ReportContext:
    """Three real cited studies (results, results with NA, none) and two real searches."""
    status_change = change(7, "NCT00763412", "overall_status", "ACTIVE_NOT_RECRUITING",
                           "COMPLETED", "notable")  # fmt: skip
    results_changes = results_edits()
    studies = [
        cited("NCT02552212", "2017 - Clinical Trial Provided by UCB Pharma"),
        cited(
            "NCT00763412",
            "2012 - Clinical Trial Provided by Washington University",
            changes_since_previous=[*results_changes, status_change],
            changes_recent=[*results_changes, status_change],
        ),
        cited("NCT03630471", "2019 - Clinical Trial Provided by Sangath"),
    ]
    return ReportContext(
        title="Clinical trial evidence summary",
        provenance=Provenance(NOW, FETCHED, data_timestamp, "2.0.5", None),
        studies=studies,
        searches=list(_searches()),
        changes_since_previous=[status_change],
        last_change_id=8,
    )


def extra_studies() -> list[CitedStudy]:
    """Study pages beyond the fixed context's: a results record with per-row denominators and a
    restrictive agreement, set beside the clinic's claim, and an observational study cited as a
    clinical trial (real records; the citations and the claim are the test's)."""
    return [
        cited("NCT02210780", "2015 - Clinical Trial Provided by Regeneron", claims=[CLINIC_CLAIM]),
        cited("NCT06171568", "2024 - Clinical Trial Provided by AP-HP", claims=[CLINIC_CLAIM]),
        *classic_studies(),
    ]


def classic_record(nct: str, snapshot: str = "2020-07-28") -> dict[str, Any]:
    """A real archived classic XML record read into the v2 shape (tests/fixtures/classic_xml)."""
    return read_classic_xml(classic_xml(nct, snapshot)).record


def classic_studies() -> list[CitedStudy]:
    """The clinic's two cited studies as archived on 2020-07-28, cited and claimed exactly as
    the clinic's page does (config.toml), and a crossover trial with a registered interval."""
    return [
        cited(
            "NCT00088699",
            "2018 - Clinical Trial Provided by National Institute of Mental Health (NIMH)",
            classic_record("NCT00088699"), claims=[CLINIC_CLAIM],
        ),
        cited(
            "NCT01558063", "2019 - Clinical Trial Provided by Columbia University",
            classic_record("NCT01558063"), claims=[CLINIC_CLAIM],
        ),
        cited("NCT01304147", "2017 - Clinical Trial", classic_record("NCT01304147")),
    ]  # fmt: skip


@cache
def _searches() -> tuple[SearchReport, ...]:
    """The two real searches (cached: drawing the charts is the slow part)."""
    phelan = summary_rows(PHELAN_PAGE)
    entered = LoggedChange("search", None, "entered phelan", "notable", nct_id=phelan[0]["nct_id"],
                           id=8, detected_at=FETCHED, search_name="phelan")  # fmt: skip
    return (
        search("phelan", "Phelan-McDermid syndrome", phelan, changes=[entered]),
        search("nsclc", "Non-small cell lung cancer with EGFR L858R", summary_rows(NSCLC_PAGE)),
    )


def synthetic_copy(record: dict[str, Any], index: int) -> dict[str, Any]:
    """SYNTHETIC: a real record under a made-up NCT id (for scale tests only)."""
    clone = copy.deepcopy(record)
    clone["protocolSection"]["identificationModule"]["nctId"] = f"NCT9{index:07d}"
    return clone


def all_records() -> dict[str, dict[str, Any]]:
    """Every real record in tests/fixtures, the latest version of each study: the API v2 records,
    the classic XML records (read into v2 shape) and the version-history body."""
    from trialwatch.domain.classic import read_classic_xml

    records: dict[str, dict[str, Any]] = {}
    for path in sorted((FIXTURES.parent / "classic_xml").glob("NCT*.xml")):  # later sorts last
        records[path.name.split("__")[0]] = read_classic_xml(path.read_bytes()).record
    for path in sorted((FIXTURES.parent / "history").glob("NCT*.json")):
        records[path.name.split("__")[0]] = json.loads(path.read_text(encoding="utf-8"))["study"]
    for path in sorted((FIXTURES / "studies").glob("NCT*.json")):
        records[path.name.split("__")[0].removesuffix(".json")] = load_fixture(
            f"studies/{path.name}"
        )
    return records


def all_records_context() -> ReportContext:
    """Every real record (`all_records`) as a cited study, and every real recorded search page
    with studies as a search."""
    studies = [
        cited(nct, f"Clinical Trial Provided by {nct}", record)
        for nct, record in sorted(all_records().items())
    ]
    searches = []
    for path in sorted((FIXTURES / "search_pages").glob("*.json")):
        rows = [
            parse_study(s).as_dict()
            for s in load_fixture(f"search_pages/{path.name}").get("studies", [])
        ]
        if rows:
            name = path.stem.removeprefix("biomcp__search_").removesuffix("_20260811")
            searches.append(search(name.replace("_", "-"), name.replace("_", " "), rows))
    return ReportContext(
        title="All recorded records",
        provenance=Provenance(NOW, FETCHED, "2026-11-25T09:00:05", "2.0.5", None),
        studies=studies,
        searches=searches,
        changes_since_previous=[],
        last_change_id=None,
    )


LONG_WORD = "Pharmaco" + "kinetic" * 40  # SYNTHETIC: one unbroken 288-character word


def long_words_context() -> ReportContext:
    """SYNTHETIC variant of the real NCT02552212: an unbroken 288-character word in its title,
    sponsor, first outcome title and first adverse-event term (a page must still fit a phone)."""
    record = study("NCT02552212")
    protocol = record["protocolSection"]
    protocol["identificationModule"]["briefTitle"] = LONG_WORD
    protocol["sponsorCollaboratorsModule"]["leadSponsor"]["name"] = LONG_WORD
    results = record["resultsSection"]
    results["outcomeMeasuresModule"]["outcomeMeasures"][0]["title"] = LONG_WORD
    results["adverseEventsModule"]["seriousEvents"][0]["term"] = LONG_WORD
    return replace(
        all_records_context(),
        title="Long words",
        studies=[cited("NCT02552212", f"{LONG_WORD} 2018", record)],
        searches=[],
    )
