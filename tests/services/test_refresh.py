"""The refresh use case end to end against a mocked API speaking v2 with real records."""

from __future__ import annotations

import pytest
import responses
import sqlalchemy as sa

from tests.conftest import (
    API,
    ids_matcher,
    page,
    param_matcher,
    query_rows,
    reset_api,
    study,
    table_contents,
)
from tests.synthetic_edits import summary
from trialwatch.config import load_config
from trialwatch.errors import ApiError
from trialwatch.services import pipeline as services


def _count(db_url: str, table: str) -> int:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        n = conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    engine.dispose()
    return int(n)


def test_first_refresh_stores_versions_and_study_state(ctgov, make_config, db_url):
    cfg = load_config(make_config(studies=["NCT02552212", "NCT00763412"]))
    ctgov.get(
        f"{API}/studies",
        json=page(study("NCT02552212"), study("NCT00763412")),
        match=[ids_matcher("NCT02552212", "NCT00763412")],
    )
    result = services.refresh(cfg)
    assert result.kind == "full"
    assert result.new_versions == 2 and result.changes == 0
    assert result.requests == 2  # /version + one batch for both ids
    assert _count(db_url, "record_versions") == 2
    rows = query_rows(
        db_url, "SELECT nct_id, overall_status, start_date, enrollment FROM studies ORDER BY 1"
    )
    assert rows == [
        ("NCT00763412", "COMPLETED", "2006-11", 31),
        ("NCT02552212", "COMPLETED", "2015-09", 317),
    ]


def test_same_record_twice_adds_no_version(ctgov, make_config, db_url):
    cfg = load_config(make_config())
    ctgov.get(f"{API}/studies", json=page(study("NCT02552212")))
    services.refresh(cfg, full=True)
    second = services.refresh(cfg, full=True)
    assert second.new_versions == 0
    assert _count(db_url, "record_versions") == 1


def test_derived_only_pair_is_two_versions_and_no_change(ctgov, make_config, db_url):
    """The real NCT02552212 pair differs only in derivedSection."""
    cfg = load_config(make_config())
    ctgov.get(f"{API}/studies", json=page(study("NCT02552212")))
    services.refresh(cfg, full=True)
    ctgov.replace(
        responses.GET, f"{API}/studies", json=page(study("NCT02552212", "versionHolder-2024-01-03"))
    )
    second = services.refresh(cfg, full=True)
    assert second.new_versions == 1 and second.changes == 0
    assert _count(db_url, "record_versions") == 2
    assert _count(db_url, "changes") == 0
    assert query_rows(db_url, "SELECT version_holder FROM studies") == [("2024-01-03",)]


def test_failed_refresh_leaves_store_unchanged_and_logs_the_run(ctgov, make_config, db_url):
    cfg = load_config(make_config(studies=["NCT02552212"], searches={"s": {"query.cond": "x"}}))
    ctgov.get(
        f"{API}/studies",
        json=page(study("NCT02552212")),
        match=[param_matcher(**{"filter.ids": "NCT02552212"})],
    )
    ctgov.get(f"{API}/studies", json=page(total=0), match=[param_matcher(**{"query.cond": "x"})])
    services.refresh(cfg)
    before = table_contents(db_url)
    edited = study("NCT02552212")
    edited["protocolSection"]["statusModule"]["overallStatus"] = "TERMINATED"
    reset_api(ctgov)
    ctgov.get(
        f"{API}/studies", json=page(edited), match=[param_matcher(**{"filter.ids": "NCT02552212"})]
    )
    ctgov.get(
        f"{API}/studies",
        body="<html>maintenance</html>",
        match=[param_matcher(**{"query.cond": "x"})],
    )
    with pytest.raises(ApiError, match="HTML page"):
        services.refresh(cfg, full=True)
    assert table_contents(db_url) == before
    runs = query_rows(db_url, "SELECT outcome, error FROM refresh_runs ORDER BY id")
    assert runs[0][0] == "ok" and runs[1][0] == "failed" and "HTML" in runs[1][1]


def test_studies_entering_and_leaving_a_search_are_recorded(ctgov, make_config, db_url):
    cfg = load_config(make_config(studies=[], searches={"s": {"query.cond": "x"}}))
    ctgov.get(f"{API}/studies", json=page(summary("NCT03418623"), summary("NCT03630471"), total=2))
    first = services.refresh(cfg)
    assert first.changes == 0  # the first look is a baseline, not news
    reset_api(ctgov).get(
        f"{API}/studies", json=page(summary("NCT03630471"), summary("NCT06171568"), total=2)
    )
    second = services.refresh(cfg, full=True)
    assert second.searches["s"]["entered"] == 1 and second.searches["s"]["left"] == 1
    changes = query_rows(
        db_url, "SELECT nct_id, field, new_value, severity FROM changes ORDER BY nct_id"
    )
    assert changes == [
        ("NCT03418623", "search", "left s", "minor"),
        ("NCT06171568", "search", "entered s", "notable"),
    ]
    hits = query_rows(db_url, "SELECT nct_id, present FROM search_hits ORDER BY nct_id")
    assert [(n, bool(p)) for n, p in hits] == [
        ("NCT03418623", False),
        ("NCT03630471", True),
        ("NCT06171568", True),
    ]


def test_a_search_hit_with_a_malformed_id_is_skipped_not_a_member(ctgov, make_config, db_url):
    """An odd record is not a failure: on PostgreSQL a long id used to fail the whole refresh."""
    cfg = load_config(make_config(studies=[], searches={"s": {"query.cond": "x"}}))
    junk = summary("NCT03630471")
    junk["protocolSection"]["identificationModule"]["nctId"] = "NOT-AN-NCT-ID-AT-ALL"
    ctgov.get(f"{API}/studies", json=page(summary("NCT03418623"), junk, total=2))
    result = services.refresh(cfg)
    assert "skipped a record without an NCT id" in result.notes
    assert query_rows(db_url, "SELECT nct_id FROM search_hits") == [("NCT03418623",)]


def test_first_seen_survives_later_versions_and_search_hits(ctgov, make_config, db_url):
    """A new version updates a study's row and a hit's row, but never when they were first seen."""
    cfg = load_config(make_config(searches={"s": {"query.cond": "x"}}))
    ctgov.get(f"{API}/studies", json=page(study("NCT02552212")), match=[ids_matcher("NCT02552212")])
    ctgov.get(f"{API}/studies", json=page(summary("NCT03630471"), total=1))
    services.refresh(cfg, full=True)
    sql = (
        "SELECT 'study', first_seen, last_checked FROM studies UNION ALL "
        "SELECT 'hit', first_seen, last_seen FROM search_hits ORDER BY 1"
    )
    before = query_rows(db_url, sql)
    reset_api(ctgov).get(
        f"{API}/studies",
        json=page(study("NCT02552212", "versionHolder-2024-01-03")),
        match=[ids_matcher("NCT02552212")],
    )
    ctgov.get(f"{API}/studies", json=page(summary("NCT03630471"), total=1))
    assert services.refresh(cfg, full=True).new_versions == 1
    after = query_rows(db_url, sql)
    assert [(kind, first) for kind, first, _ in after] == [(k, f) for k, f, _ in before]
    assert all(a[2] != b[2] for a, b in zip(after, before, strict=True))


def test_incremental_refresh_probes_and_fetches_only_what_changed(ctgov, make_config, db_url):
    cfg = load_config(make_config(studies=["NCT02552212"], searches={"s": {"query.cond": "x"}}))
    ctgov.get(
        f"{API}/studies",
        json=page(study("NCT02552212")),
        match=[param_matcher(fields=None, **{"query.cond": None})],
    )
    ctgov.get(
        f"{API}/studies",
        json=page(summary("NCT03418623"), total=1),
        match=[param_matcher(**{"query.cond": "x"})],
    )
    services.refresh(cfg)
    reset_api(ctgov)
    probe = ctgov.get(
        f"{API}/studies",
        json=page(summary("NCT02552212")),
        match=[param_matcher(fields="NCTId|NCTIdAlias|LastUpdatePostDate")],
    )
    window = ctgov.get(
        f"{API}/studies", json=page(total=0), match=[param_matcher(**{"query.cond": "x"})]
    )
    result = services.refresh(cfg)
    assert result.kind == "incremental" and result.new_versions == 0 and result.changes == 0
    assert probe.call_count == 1 and window.call_count == 1
    assert "AREA[LastUpdatePostDate]RANGE[" in window.calls[0].request.params["filter.advanced"]
    assert result.requests == 3  # /version + one probe batch + one windowed search page
    assert _count(db_url, "search_hits") == 1  # an incremental run never drops members


def test_a_status_change_is_logged_as_critical(ctgov, make_config, db_url):
    cfg = load_config(make_config(studies=["NCT02552212"]))
    ctgov.get(f"{API}/studies", json=page(study("NCT02552212")))
    services.refresh(cfg)
    edited = study("NCT02552212")  # SYNTHETIC edit of a real record: status and update date
    edited["protocolSection"]["statusModule"]["overallStatus"] = "TERMINATED"
    edited["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2026-11-20"
    reset_api(ctgov).get(f"{API}/studies", json=page(edited))
    result = services.refresh(cfg)
    assert result.kind == "incremental" and result.new_versions == 1
    rows = query_rows(db_url, "SELECT field, old_value, new_value, severity FROM changes")
    assert ("overall_status", "COMPLETED", "TERMINATED", "critical") in rows
    assert query_rows(db_url, "SELECT overall_status FROM studies") == [("TERMINATED",)]


def test_alias_not_found_and_capped_search_are_reported(ctgov, make_config):
    cfg = load_config(
        make_config(
            studies=["NCT01111111", "NCT00000002"],
            searches={"big": {"query.intr": "Keytruda"}},
            extra="",
        )
    )
    aliased = study("NCT02552212")
    aliased["protocolSection"]["identificationModule"]["nctIdAliases"] = ["NCT01111111"]
    ctgov.get(f"{API}/studies", json=page(aliased), match=[param_matcher(**{"query.intr": None})])
    from tests.conftest import load_fixture

    keytruda = load_fixture("search_pages/biomcp__search_keytruda_limit3_20260811.json")
    ctgov.get(f"{API}/studies", json=keytruda, match=[param_matcher(**{"query.intr": "Keytruda"})])
    ctgov.get(
        f"{API}/studies", json=page(), match=[param_matcher(pageToken=keytruda["nextPageToken"])]
    )
    result = services.refresh(cfg)
    assert result.aliases == {"NCT01111111": "NCT02552212"} and result.not_found == ["NCT00000002"]
    text = "\n".join(result.notes)
    assert "NCT01111111 is an alias of NCT02552212" in text
    assert "NCT00000002: not found" in text
    assert "counted 2924 studies but 3 arrived" in text
