"""Bad input: malformed config values, malformed ids on the command line, a file that is not a
database, and a schema this trialwatch cannot use. Each is refused with one clear line and the
right exit code (2 for bad input, 1 for an unusable store), and loses nothing.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import responses
import sqlalchemy as sa

from tests.conftest import API, table_contents
from tests.faults.harness import (
    CITED,
    Clinic,
    assert_failed_cleanly,
    assert_recovers,
    query,
    run_cli,
    target_matcher,
)
from tests.schema_helpers import downgrade_store_to
from trialwatch.store.schema import HEAD_REVISION, INITIAL_REVISION

# (case id, text in the good config, its replacement, message naming key and problem)
CONFIG_CASES = [
    ("config-text-where-a-number-goes", "min_interval = 0", 'min_interval = "fast"',
     r"key 'api\.min_interval': expected a number, got 'fast'"),
    ("config-negative-retry-budget", "max_retries = 3", "max_retries = -1",
     r"key 'api\.max_retries': must not be negative"),
    ("config-base-url-not-http", 'base_url = "https://', 'base_url = "ftp://',
     r"key 'api\.base_url': must start with http:// or https://"),
    ("config-misspelt-key", "backoff_factor = 0", "backof_factor = 0",
     r"unknown key 'api\.backof_factor'"),
    ("config-not-toml", "[report]", "[report", r"not valid TOML"),
    ("config-malformed-cited-id", f'nct_id = "{CITED[1]}"', 'nct_id = "NCT00763412X"',
     r"key 'studies\[1\]\.nct_id': 'NCT00763412X' is not an NCT id"),
    ("config-duplicate-cited-id", f'nct_id = "{CITED[1]}"', f'nct_id = "{CITED[0].lower()}"',
     rf"key 'studies\[1\]\.nct_id': duplicate value '{CITED[0]}'"),
    ("config-search-without-params", 'params = { "query.cond" = "depression" }', "params = {}",
     r"key 'searches\[0\]\.params': needs at least one parameter"),
    ("config-boolean-where-a-number-goes", "min_interval = 0", "min_interval = true",
     r"key 'api\.min_interval': expected a number, got True"),
    # bounds at load: each of these used to fail at run time with a traceback, or pass silently
    ("config-read-timeout-nan", "min_interval = 0", "min_interval = 0\nread_timeout = nan",
     r"key 'api\.read_timeout': must be a finite number, got nan"),
    ("config-min-interval-nan", "min_interval = 0", "min_interval = nan",
     r"key 'api\.min_interval': must be a finite number, got nan"),
    ("config-connect-timeout-inf", "min_interval = 0", "min_interval = 0\nconnect_timeout = inf",
     r"key 'api\.connect_timeout': must be a finite number, got inf"),
    ("config-overlap-days-huge", "[report]", "[refresh]\noverlap_days = 99999999\n[report]",
     r"key 'refresh\.overlap_days': must be at most 3650, got 99999999"),
    ("config-feed-entries-10e20", "[report]",
     "[alerts]\nfeed_entries = 100000000000000000000\n[report]",
     r"key 'alerts\.feed_entries': must be at most 100000"),
    ("config-base-url-broken-ipv6", 'base_url = "https://ctgov.test/api/v2"',
     'base_url = "http://[::1"', r"key 'api\.base_url': not a valid URL 'http://\[::1'"),
    ("config-base-url-port-99999", "https://ctgov.test/", "https://ctgov.test:99999/",
     r"key 'api\.base_url': not a valid URL .*Port out of range"),
    ("config-base-url-with-a-space", "https://ctgov.test/", "https://ctgov .test/",
     r"key 'api\.base_url': must not contain spaces or control characters"),
    ("config-deeply-nested-toml", "[report]", "[report]\nx = " + "[" * 5000 + "]" * 5000,
     r"not valid TOML: nested too deeply"),
    ("config-email-host-with-crlf", "[report]",
     '[alerts.email]\nhost = "smtp.x\\r\\nRCPT TO:<a@b.example>"\nsender = "a@b.example"\n'
     'to = ["x@y.example"]\n[report]',
     r"key 'alerts\.email\.host': must not contain spaces or control characters"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "message"), [pytest.param(*c[1:], id=c[0]) for c in CONFIG_CASES]
)
def test_malformed_config_value_is_refused(clinic: Clinic, old: str, new: str, message: str):
    good = clinic.config_path.read_text(encoding="utf-8")
    assert old in good
    before = clinic.snapshot()
    clinic.config_path.write_text(good.replace(old, new, 1), encoding="utf-8")
    result = clinic.refresh()
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"Error: {clinic.config_path}")  # names the file first
    assert re.search(message, result.stderr), result.stderr
    assert clinic.snapshot() == before  # not even a run row: nothing was attempted
    clinic.config_path.write_text(good, encoding="utf-8")
    assert_recovers(clinic)


@pytest.mark.parametrize(
    ("url", "message"),
    [("sqlite://", r"an in-memory SQLite database keeps nothing between runs"),
     ("not a url", r"not a database URL 'not a url'"),
     ("mysql://u@db.example/tw", r"unsupported database 'mysql' \(use sqlite or postgresql\)")],
    ids=["config-sqlite-in-memory", "config-unparsable-database-url",
         "config-unsupported-database"],
)  # fmt: skip
def test_a_database_url_that_cannot_work_is_refused(clinic: Clinic, url: str, message: str):
    good = clinic.config_path.read_text(encoding="utf-8")
    before = clinic.snapshot()
    bad = re.sub(r"(?m)^url = .*$", f"url = {json.dumps(url)}", good, count=1)
    clinic.config_path.write_text(bad, encoding="utf-8")
    result = clinic.refresh()
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"Error: {clinic.config_path}: key 'database.url': ")
    assert re.search(message, result.stderr), result.stderr
    assert clinic.snapshot() == before
    clinic.config_path.write_text(good, encoding="utf-8")
    assert_recovers(clinic)


def test_missing_config_file_says_how_to_point_at_one(tmp_path: Any):
    result = run_cli("--config", str(tmp_path / "nowhere.toml"), "refresh")
    assert result.exit_code == 2
    assert "nowhere.toml: configuration file not found (pass --config PATH" in result.stderr


# (case id, command line after `trialwatch --config PATH`)
BAD_IDS = [
    ("show-prefix-only", ["show", "NCT"]),
    ("show-id-with-a-dash", ["show", "NCT-02552212"]),
    ("show-id-with-sql", ["show", "NCT02552212'; DROP TABLE studies; --"]),
    ("history-digits-only", ["history", "02552212"]),
    ("changes-study-not-an-id", ["changes", "--study", "ketamine"]),
    ("show-id-too-long", ["show", "NCT125522120"]),
    ("show-arabic-indic-digits", ["show", "NCT\u0660\u0662\u0662\u0669\u0669\u0667\u0669\u0661"]),
    ("show-full-width-digits", ["show", "NCT\uff10\uff12\uff15\uff15\uff12\uff12\uff11\uff12"]),
]


@pytest.mark.parametrize("args", [pytest.param(c[1], id=c[0]) for c in BAD_IDS])
def test_malformed_id_on_the_command_line(clinic: Clinic, args: list[str]):
    before = clinic.snapshot()
    result = run_cli("--config", str(clinic.config_path), *args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert re.search(
        r"^Error: .* is not an NCT id: expected 'NCT' followed by 8 digits", result.stderr
    )
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert clinic.snapshot() == before


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(c, id=f"not-a-database-{c[0]}")
        for c in (["refresh"], ["show", CITED[0]], ["status"], ["report"])
    ],
)
def test_a_file_that_is_not_a_database(tmp_path: Any, command: list[str]):
    """Whatever the command, a non-database file is reported and left byte-for-byte alone."""
    junk = tmp_path / "trialwatch.db"
    junk.write_bytes(b"This is the clinic's shopping list, not SQLite.\n" * 200)
    original = junk.read_bytes()
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{junk}"\n[report]\ndir = "reports"\n')
    result = run_cli("--config", str(config), *command)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert re.search(
        rf"^Error: Cannot (open|read) the database at sqlite:///{re.escape(str(junk))}: "
        "file is not a database",
        result.stderr,
    )
    assert junk.read_bytes() == original
    assert not (tmp_path / "reports").exists()


def test_schema_newer_than_this_trialwatch_is_refused(clinic: Clinic):
    """A database upgraded by a newer trialwatch: refused with what to do, nothing touched."""
    before = clinic.snapshot()
    _execute(clinic.db_url, "UPDATE alembic_version SET version_num = '0999'")
    result = clinic.refresh()
    assert result.exit_code == 1, result.stderr
    assert re.search(
        r"is at schema revision 0999, which this trialwatch does not know .*Install that version",
        result.stderr,
    )
    assert clinic.snapshot() == before  # no run row: the store was refused before any write
    _execute(clinic.db_url, f"UPDATE alembic_version SET version_num = '{HEAD_REVISION}'")
    assert_recovers(clinic)


def test_out_of_date_schema(clinic: Clinic):
    """Tables from before schema migrations (no alembic_version): PostgreSQL, shared, is
    refused with the command to run; SQLite is upgraded on the spot. Both lose nothing."""
    versions = _versions(clinic.db_url)
    downgrade_store_to(clinic.db_url, INITIAL_REVISION)  # the tables as they were before
    _execute(clinic.db_url, "DROP TABLE alembic_version")
    before = table_contents(clinic.db_url)
    logged = query(clinic.db_url, "SELECT id, field, old_value, new_value FROM changes")
    result = clinic.refresh()
    if clinic.db_url.startswith("postgresql"):
        assert result.exit_code == 1, result.stderr
        assert re.search(
            r"holds trialwatch tables from before schema migrations\. Adopt them with: "
            rf"trialwatch --config {re.escape(str(clinic.config_path))} db upgrade",
            result.stderr,
        )
        assert table_contents(clinic.db_url) == before
        upgrade = run_cli("--config", str(clinic.config_path), "db", "upgrade")
        assert upgrade.exit_code == 0 and "adopted the existing tables" in upgrade.stdout
        after = table_contents(clinic.db_url)
        # record_versions and changes gained columns since; their rows are kept
        kept = [table for table in before if table not in ("record_versions", "changes")]
        assert {t: after[t] for t in kept} == {t: before[t] for t in kept}
        assert _versions(clinic.db_url) == versions
        assert query(clinic.db_url, "SELECT id, field, old_value, new_value FROM changes") == logged
        assert_recovers(clinic)
    else:
        assert result.exit_code == 0, result.stderr
        assert clinic.study_row(CITED[0])[0] == "TERMINATED"
        assert set(versions) < set(_versions(clinic.db_url))  # all kept, one added


def _versions(db_url: str) -> list[tuple]:
    return query(db_url, "SELECT id, nct_id, version_no, content_hash FROM record_versions")


def _execute(db_url: str, sql: str) -> None:
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(sql))
    finally:
        engine.dispose()


def test_a_search_with_an_essie_syntax_error_is_bad_input(clinic: Clinic):
    """The registry answers 400 to a query it cannot parse: bad input (exit 2), not a failure.

    SYNTHETIC answer body (the API's 400s are plain text naming the problem)."""
    before = clinic.snapshot()
    clinic.mock.reset()
    clinic.serve(skip=("search",))
    clinic.mock.add(responses.GET, f"{API}/studies", status=400, match=[target_matcher("search")],
                    body="Invalid query: unbalanced parenthesis at position 14")  # fmt: skip
    result = clinic.refresh()
    assert_failed_cleanly(
        clinic, before, result,
        r"The registry refused the search query\.cond=depression.*: The registry refused the "
        r"request \(HTTP 400\): Invalid query: unbalanced parenthesis", exit_code=2,
    )  # fmt: skip
    clinic.mock.reset()
    clinic.mock.add(responses.GET, f"{API}/studies", status=400,
                    body="Invalid query: unbalanced parenthesis at position 14")  # fmt: skip
    live = run_cli("--config", str(clinic.config_path), "search", "ketamine AND (depression")
    assert live.exit_code == 2, live.stderr
    assert live.stderr.startswith("Error: The registry refused the request (HTTP 400)")
    assert_recovers(clinic)
