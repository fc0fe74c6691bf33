"""Configuration: the shipped config loads; every mistake gets one message naming file and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from trialwatch.cli.main import cli
from trialwatch.config import load_config
from trialwatch.errors import ConfigError

ROOT = Path(__file__).parent.parent


def test_the_clinics_config_loads():
    cfg = load_config(ROOT / "config.toml")
    assert cfg.cited_ids == ["NCT00088699", "NCT01558063"]
    assert (
        cfg.studies[0].cited_as
        == "2018 - Clinical Trial Provided by National Institute of Mental Health (NIMH)"
    )
    assert cfg.studies[1].cited_as == "2019 - Clinical Trial Provided by Columbia University"
    names = {s.name for s in cfg.searches}
    assert {"ketamine-depression", "ketamine-trd", "ketamine-ptsd", "ketamine-anxiety"} <= names
    assert all("ketamine" in s.params["query.intr"] for s in cfg.searches)
    assert cfg.database_url == f"sqlite:///{(ROOT / 'trialwatch.db').resolve()}"


def test_defaults_and_env_override(tmp_path, monkeypatch):
    path = tmp_path / "c.toml"
    path.write_text('[[studies]]\nnct_id = " nct01558063 "\n')
    cfg = load_config(path)
    assert cfg.cited_ids == ["NCT01558063"]  # normalised: case and spaces
    assert cfg.api.base_url == "https://clinicaltrials.gov/api/v2" and cfg.api.min_interval == 1.0
    assert cfg.report_dir == (tmp_path / "reports").resolve()
    monkeypatch.setenv("TRIALWATCH_DATABASE_URL", "sqlite:////elsewhere/x.db")
    assert load_config(path).database_url == "sqlite:////elsewhere/x.db"
    monkeypatch.setenv("TRIALWATCH_CONFIG", str(path))
    assert load_config().path == path.resolve()


@pytest.mark.parametrize(
    "text, message",
    [
        ("[api\nbase_url = 1", "not valid TOML"),
        ("[apii]\nbase_url = 'x'", "unknown key 'apii'"),
        ("[api]\nbase_urll = 'https://x'", "unknown key 'api.base_urll'"),
        ("[api]\nmin_interval = 'fast'", "key 'api.min_interval': expected a number"),
        ("[api]\nmax_retries = 2.5", "key 'api.max_retries': expected a whole number"),
        ("[api]\nbase_url = 'ftp://x'", "key 'api.base_url': must start with http"),
        ("[api]\nread_timeout = 0", "key 'api.read_timeout': must be greater than 0"),
        ("[[studies]]\nnct_id = 'NCT123456789'", "key 'studies[0].nct_id'"),
        ("[[studies]]\ncited_as = 'x'", "key 'studies[0].nct_id' is required"),
        ("[[studies]]\nnct_id = 'NCT00088699'\n[[studies]]\nnct_id = 'nct00088699'", "duplicate"),
        ("studies = 'NCT00088699'", "expected an array of tables"),
        ("[[searches]]\nname = 's'\nparams = {}", "needs at least one parameter"),
        ("[[searches]]\nname = 's'\nparams = { 'query.cond' = ['a'] }", "expected a table of text"),
        ("[[searches]]\nname = 's'\nparams = { 'q' = 'x' }\nmax_studies = 0", "at least 1"),
        ("[database]\nurl = 5", "key 'database.url': expected text"),
    ],
    ids=lambda v: v if " " in v and len(v) < 40 else None,
)
def test_bad_config_names_file_key_and_problem(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")) as err:
        load_config(path)
    assert str(path) in str(err.value) and err.value.exit_code == 2


def test_missing_file_is_a_clear_error_with_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["--config", str(tmp_path / "nope.toml"), "refresh"])
    assert result.exit_code == 2
    assert "nope.toml: configuration file not found" in result.output


def test_cli_main_prints_one_line_and_exits_2(tmp_path, monkeypatch, capsys):
    from trialwatch.cli.main import main

    bad = tmp_path / "bad.toml"
    bad.write_text("[[studies]]\nnct_id = 'NCT-1'\n")
    monkeypatch.setattr("sys.argv", ["trialwatch", "--config", str(bad), "refresh"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and "studies[0].nct_id" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("[api]\nread_timeout = nan", "key 'api.read_timeout': must be a finite number, got nan"),
        ("[api]\nconnect_timeout = inf", "key 'api.connect_timeout': must be a finite number"),
        ("[api]\nmin_interval = nan", "key 'api.min_interval': must be a finite number, got nan"),
        ("[api]\nmin_interval = -0.5", "key 'api.min_interval': must not be negative"),
        ("[api]\nmax_retry_after = 1e300", "key 'api.max_retry_after': must be at most 86400"),
        ("[api]\nmax_retries = 1000", "key 'api.max_retries': must be at most 100, got 1000"),
        ("[refresh]\noverlap_days = 99999999", "key 'refresh.overlap_days': must be at most 3650"),
        ("[refresh]\noverlap_days = -1", "key 'refresh.overlap_days': must not be negative"),
        ("[refresh]\nfull_every_days = 0", "key 'refresh.full_every_days': must be at least 1"),
        ("[alerts]\nfeed_entries = 100000000000000000000", "key 'alerts.feed_entries': must be at"),
        ("[alerts]\nfeed_entries = 1e20", "key 'alerts.feed_entries': expected a whole number"),
        ("[schedule]\nlock_wait_seconds = 99999999", "key 'schedule.lock_wait_seconds': must be"),
        ("[schedule]\nretry_minutes = 0", "key 'schedule.retry_minutes': must be at least 1"),
        ("[[searches]]\nname = 's'\nparams = { q = 'x' }\nmax_studies = 1e9", "expected a whole"),
        ("a = " + "[" * 5000 + "]" * 5000, "not valid TOML: nested too deeply"),
        ("[api]\nbase_url = 'http://x:99999/v2'", "key 'api.base_url': not a valid URL.*Port"),
        ("[api]\nbase_url = 'https://a b.org/'", "key 'api.base_url': must not contain"),
        ("[api]\nbase_url = 'http://[::1'", "key 'api.base_url': not a valid URL.*IPv6"),
        ("[api]\nbase_url = 'https:///api/v2'", "key 'api.base_url': has no host name"),
        ("[alerts]\nreport_url = 'https://x:port/'", "key 'alerts.report_url': not a valid URL"),
        (
            '[alerts.email]\nhost = "smtp.example.org\\r\\nRCPT TO:<x@y.org>"\n'
            "sender = 'a@example.org'\nto = ['b@example.org']",
            "key 'alerts.email.host': must not contain spaces or control characters",
        ),
        ("[database]\nurl = 'not a url'", "key 'database.url': not a database URL"),
        ("[database]\nurl = 'mysql://db/trialwatch'", "key 'database.url': unsupported database"),
        ("[database]\nurl = 'sqlite://'", "key 'database.url': an in-memory SQLite database"),
        ("[database]\nurl = 'sqlite:///:memory:'", "key 'database.url': an in-memory SQLite"),
        (
            f"[[searches]]\nname = '{'k' * 201}'\nparams = {{ q = 'x' }}",
            "key 'searches\\[0\\].name': must be at most 200 characters .*, got 201$",
        ),
        (
            f"[[searches]]\nname = 'a'\nparams = {{ q = 'x' }}\n"
            f"[[searches]]\nname = '{'é' * 250}'\nparams = {{ q = 'x' }}",
            "key 'searches\\[1\\].name': must be at most 200 characters .*, got 250$",
        ),
    ],
    ids=lambda v: v.split("\n")[-1][:40] if "\n" in v else None,
)
def test_every_value_is_bounded_at_load(tmp_path, text, message):
    path = tmp_path / "bounds.toml"
    path.write_text(text)
    result = CliRunner().invoke(cli, ["--config", str(path), "show", "NCT00088699"])
    assert result.exit_code == 2, result.output
    assert re.search(f"^Error: {re.escape(str(path))}: .*{message}", result.output), result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_a_search_name_is_bounded_by_the_columns_that_store_it(tmp_path):
    """PostgreSQL refuses a longer name than its column (SQLite would store it): refused at
    load, and the bound is the columns' own length."""
    from trialwatch.domain.bounds import SEARCH_NAME_LENGTH
    from trialwatch.store.models import Change, SearchHit, SearchState

    for column in (SearchState.name, SearchHit.search_name, Change.search_name):
        assert column.type.length == SEARCH_NAME_LENGTH  # type: ignore[attr-defined]
    path = tmp_path / "config.toml"
    longest = "n" * SEARCH_NAME_LENGTH
    path.write_text(f"[[searches]]\nname = '{longest}'\nparams = {{ q = 'x' }}\n")
    assert load_config(path).searches[0].name == longest
    path.write_text(f"[[searches]]\nname = '{longest}x'\nparams = {{ q = 'x' }}\n")
    with pytest.raises(ConfigError, match=r"key 'searches\[0\]\.name': must be at most 200") as err:
        load_config(path)
    assert str(path) in str(err.value) and err.value.exit_code == 2
    assert longest not in str(err.value)  # the error is one readable line, not the value


def test_a_database_url_from_the_environment_is_checked_too(tmp_path, monkeypatch):
    path = tmp_path / "c.toml"
    path.write_text("")
    monkeypatch.setenv("TRIALWATCH_DATABASE_URL", "sqlite://")
    with pytest.raises(ConfigError, match=r"^\$TRIALWATCH_DATABASE_URL \(for key 'database.url'"):
        load_config(path)
    monkeypatch.setenv("TRIALWATCH_DATABASE_URL", "postgresql+psycopg://u@db:5432/tw")
    assert load_config(path).database_url == "postgresql+psycopg://u@db:5432/tw"


def test_numbers_in_search_params_are_kept_as_text(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("[[searches]]\nname = 's'\nparams = { 'query.cond' = 'x', pageSize = 5 }\n")
    assert load_config(path).searches[0].params == {"query.cond": "x", "pageSize": "5"}
    path.write_text("[[searches]]\nname = 's'\nparams = { 'query.cond' = true }\n")
    with pytest.raises(ConfigError, match=r"key 'searches\[0\]\.params': expected a table of text"):
        load_config(path)
