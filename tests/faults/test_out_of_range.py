"""Values too large or too long for a column are stored raw, named, and never fail a refresh.

An enrollment of 3,000,000,000 used to fail every refresh on PostgreSQL (its integer is 4 bytes)
and one of 10^20 on SQLite (OverflowError); so did a `totalCount` of 2^70, an `apiVersion` over
20 characters and a `dataTimestamp` over 30. Each is now kept in the raw record (or named in a
warning) and the refresh stores everything else.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import API, VERSION, page, study
from tests.faults.harness import CITED, SEARCH_HITS, Clinic, query, run_cli, serve_pages


def _with_enrollment(count: int) -> dict:
    """SYNTHETIC: the real record of the first cited study, updated, with this enrollment."""
    record = study(CITED[0])
    record["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = count
    record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2026-11-20"
    return record


@pytest.mark.parametrize("count", [3_000_000_000, 10**20], ids=["3e9", "1e20"])
def test_an_enrollment_too_large_for_the_column_is_a_parse_problem(clinic: Clinic, count: int):
    clinic.put(_with_enrollment(count))
    result = clinic.refresh()
    assert result.exit_code == 0, result.stderr
    enrollment, problems = clinic.study_row(CITED[0], "enrollment, parse_problems")
    problems = problems if isinstance(problems, list) else json.loads(problems)
    assert enrollment is None
    assert f"enrollment {count} is too large to be a count of people" in problems
    raws = query(clinic.db_url, f"SELECT raw FROM record_versions WHERE nct_id = '{CITED[0]}'")
    assert any(str(count) in (r if isinstance(r, str) else json.dumps(r)) for (r,) in raws)
    shown = run_cli("--config", str(clinic.config_path), "show", CITED[0])
    assert f"enrollment {count} is too large" in shown.stdout
    assert clinic.runs()[-1][1] == "ok"


def test_a_total_count_of_2_to_the_70_is_a_warning(clinic: Clinic):
    clinic.mock.reset()
    clinic.serve(skip=("search",))
    huge = 2**70
    serve_pages(clinic, {None: page(*(study(n) for n in SEARCH_HITS), total=huge)})
    result = clinic.refresh("--full")  # a full run records the search's count
    assert result.exit_code == 0, result.stderr
    assert f"the registry's totalCount {huge} is not a count the store can hold" in result.stderr
    assert query(clinic.db_url, "SELECT total_count FROM searches") == [(None,)]
    assert clinic.runs()[-1][1] == "ok"
    assert clinic.study_row(CITED[0])[0] == "TERMINATED"  # everything else was stored


@pytest.mark.parametrize(
    ("key", "limit", "column"),
    [("apiVersion", 20, "api_version"), ("dataTimestamp", 30, "data_timestamp")],
)
def test_an_over_long_version_value_is_a_warning(clinic: Clinic, key, limit, column):
    clinic.mock.reset()
    clinic.serve(skip=("version",))
    long_value = "2026-11-25T09:00:05" + "x" * 40
    clinic.mock.get(f"{API}/version", json={**VERSION, key: long_value})
    result = clinic.refresh()
    assert result.exit_code == 0, result.stderr
    assert f"/version {key} is {len(long_value)} characters long, more than the {limit}" in (
        result.stderr
    )
    (value,) = query(clinic.db_url, f"SELECT {column} FROM refresh_runs ORDER BY id DESC")[0]
    assert value is None
    assert clinic.runs()[-1][1] == "ok"
    assert clinic.study_row(CITED[0])[0] == "TERMINATED"
