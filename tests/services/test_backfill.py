"""`trialwatch backfill`: the registry's version history through the mocked /api/int endpoints
(never the real registry): dates, resume after an interruption, a changed endpoint shape."""

from __future__ import annotations

import json

import responses

from tests.archive_helpers import HISTORY_DATES, HISTORY_NCT, history_body, history_list
from tests.conftest import query_rows
from tests.faults.harness import run_cli
from trialwatch.ctgov.history import int_base
from trialwatch.domain.version_diff import unescaped

INT = "https://ctgov.test/api/int"  # the /api/int sibling of the tests' API v2 base
LIST = f"{INT}/studies/{HISTORY_NCT}/history"


def _backfill(config, *args: str):
    return run_cli("--config", str(config), "backfill", *args)


def _serve(mock: responses.RequestsMock, versions=(0, 1, 2)) -> None:
    mock.get(LIST, json=history_list())
    for n in versions:
        mock.get(f"{LIST}/{n}", json=history_body(n))


def _db(config) -> str:
    from trialwatch.config import load_config

    return load_config(config).database_url


def test_int_base_is_the_sibling_of_the_configured_v2_base():
    assert int_base("https://clinicaltrials.gov/api/v2") == "https://clinicaltrials.gov/api/int"
    assert (
        int_base("http://127.0.0.1:8080/mirror/api/v2/") == "http://127.0.0.1:8080/mirror/api/int"
    )


def test_backfill_stores_each_version_at_the_registrys_date(ctgov, make_config):
    _serve(ctgov)
    config = make_config(studies=(HISTORY_NCT,))
    result = _backfill(config, "--cited")
    assert result.exit_code == 0, result.stderr
    assert "3 registry versions (0 already stored), 3 new versions" in result.stdout
    rows = query_rows(
        _db(config),
        "SELECT version_no, source, format, observed_date, registry_version FROM record_versions "
        "ORDER BY version_no",
    )
    assert rows == [(i + 1, "history", "v2-json", HISTORY_DATES[i], i) for i in range(3)]
    changes = query_rows(_db(config), "SELECT field, old_value, new_value FROM changes ORDER BY id")
    # the added DERIVED reference is not a change: references are not point-in-time there
    assert ("overall_status", "NOT_YET_RECRUITING", "RECRUITING") in changes
    assert ("enrollment", "394", "1062") in changes
    assert not any("referencesModule" in field for field, _, _ in changes)


def test_history_text_is_stored_unescaped_with_the_body_kept(ctgov, make_config):
    _serve(ctgov, versions=(0, 1, 2))
    config = make_config(studies=(HISTORY_NCT,))
    assert _backfill(config, HISTORY_NCT).exit_code == 0
    raw, raw_text = query_rows(
        _db(config), "SELECT raw, raw_text FROM record_versions WHERE registry_version = 0"
    )[0]
    raw = json.loads(raw) if isinstance(raw, str) else raw
    received = history_body(0)["study"]
    assert "&#x2F;" in json.dumps(received) and "&#x2F;" not in json.dumps(raw)
    assert raw == unescaped(received)
    assert json.loads(raw_text) == received  # the body as the registry sent it


def test_an_interrupted_backfill_resumes_where_it_stopped(ctgov, make_config):
    ctgov.get(LIST, json=history_list())
    ctgov.get(f"{LIST}/0", json=history_body(0))
    ctgov.get(f"{LIST}/1", json=history_body(1))
    ctgov.get(f"{LIST}/2", status=503, body="busy")  # beyond the retry budget
    config = make_config(studies=(HISTORY_NCT,))
    first = _backfill(config, "--cited")
    assert first.exit_code == 1 and first.stderr.startswith("Error: ")
    assert "2 new versions were stored before it; run the backfill again" in first.stderr
    assert query_rows(_db(config), "SELECT registry_version FROM record_versions") == [(0,), (1,)]

    ctgov.reset()
    _serve(ctgov, versions=(2,))
    second = _backfill(config, "--cited")
    assert second.exit_code == 0, second.stderr
    assert "(2 already stored), 1 new versions" in second.stdout
    asked = [c.request.url for c in ctgov.calls]
    assert asked == [LIST, f"{LIST}/2"]  # the list, then only the missing version
    rows = query_rows(_db(config), "SELECT registry_version FROM record_versions ORDER BY 1")
    assert rows == [(0,), (1,), (2,)]


def test_a_retried_answer_is_used_like_any_request(ctgov, make_config):
    ctgov.get(LIST, status=503, body="busy")
    ctgov.get(LIST, json=history_list(1))
    ctgov.get(f"{LIST}/0", json=history_body(0))
    config = make_config(studies=(HISTORY_NCT,))
    result = _backfill(config, HISTORY_NCT)
    assert result.exit_code == 0, result.stderr
    assert "1 new versions" in result.stdout


def test_a_changed_list_shape_is_a_clear_error_naming_the_endpoint(ctgov, make_config):
    ctgov.get(LIST, json={"versions": history_list()["changes"]})
    config = make_config(studies=(HISTORY_NCT,))
    result = _backfill(config, "--cited")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: The registry's version-history endpoint GET {LIST} answered in an unexpected "
        "shape (no 'changes' list)"
    )
    assert "Traceback" not in result.stderr


def test_a_changed_version_shape_is_a_clear_error_and_keeps_what_was_stored(ctgov, make_config):
    ctgov.get(LIST, json=history_list(2))
    ctgov.get(f"{LIST}/0", json=history_body(0))
    ctgov.get(f"{LIST}/1", json={"version": 1, "record": history_body(1)["study"]})
    config = make_config(studies=(HISTORY_NCT,))
    result = _backfill(config, "--cited")
    assert result.exit_code == 1
    assert f"GET {LIST}/1 answered in an unexpected shape ('studyVersion' is None" in result.stderr
    assert query_rows(_db(config), "SELECT registry_version FROM record_versions") == [(0,)]


def test_backfill_needs_studies(make_config):
    result = _backfill(make_config(studies=()))
    assert result.exit_code == 2 and "name the studies" in result.stderr
