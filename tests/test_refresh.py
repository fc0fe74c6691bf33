"""The refresh use case end to end against a mocked API speaking v2 with real records."""

from __future__ import annotations

import pytest
import responses
import sqlalchemy as sa

from tests.conftest import API, ids_matcher, page, param_matcher, reset_api, study, table_contents
from trialwatch import services
from trialwatch.config import load_config
from trialwatch.errors import ApiError


def _count(db_url: str, table: str) -> int:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        n = conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    engine.dispose()
    return int(n)


def _rows(db_url: str, sql: str) -> list[tuple]:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(sa.text(sql))]
    engine.dispose()
    return rows


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
    rows = _rows(
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
    assert _rows(db_url, "SELECT version_holder FROM studies") == [("2024-01-03",)]


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
    runs = _rows(db_url, "SELECT outcome, error FROM refresh_runs ORDER BY id")
    assert runs[0][0] == "ok" and runs[1][0] == "failed" and "HTML" in runs[1][1]
