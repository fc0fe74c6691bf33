"""Staff commands that read the store: show, history, changes, status; errors and help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from tests.conftest import API, page, study
from tests.staff_store import populate, run
from trialwatch.cli.main import cli
from trialwatch.config import load_config
from trialwatch.services import pipeline as services

SHOW_KEYS = {
    "nct_id", "brief_title", "overall_status", "phases", "study_type", "enrollment",
    "enrollment_type", "lead_sponsor", "start_date", "primary_completion_date", "completion_date",
    "has_results", "results_first_posted", "last_update_posted", "version", "primary_outcomes",
}  # fmt: skip


def test_show_json_has_the_registry_values_verbatim(ctgov, make_config):
    config = populate(ctgov, make_config)
    result = run(config, "show", "  nct02552212 ", "--json")  # lower case, spaces
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert SHOW_KEYS <= set(d)
    assert d["nct_id"] == "NCT02552212" and d["overall_status"] == "COMPLETED"
    assert (
        d["start_date"] == "2015-09" and d["start_date_type"] == "ACTUAL"
    )  # partial stays partial
    assert d["phases"] == ["PHASE3"] and d["enrollment"] == 317
    assert d["has_results"] is True and d["results_first_posted"] == "2020-08-17"
    assert d["version"] == "2024-01-03" and d["stored_version_no"] == 2

    registered = study("NCT02552212")["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
    primary = [m for m in registered if m["type"] == "PRIMARY"]
    assert [o["title"] for o in d["primary_outcomes"]] == [m["title"] for m in primary]
    first, raw = d["primary_outcomes"][0], primary[0]
    assert first["time_frame"] == raw["timeFrame"] and first["unit"] == raw["unitOfMeasure"]
    assert [g["id"] for g in first["groups"]] == [g["id"] for g in raw["groups"]]
    raw_values = [m["value"] for m in raw["classes"][0]["categories"][0]["measurements"]]
    assert [m["value"] for m in first["measurements"]] == raw_values == ["7.0", "47.2"]
    assert first["analyses"][0]["p_value"] == raw["analyses"][0]["pValue"] == "<0.001"


def test_show_text_lists_outcomes_and_latest_changes(ctgov, make_config):
    config = populate(ctgov, make_config)
    result = run(config, "show", "NCT02552212")
    assert result.exit_code == 0, result.output
    assert "Start:              2015-09 (ACTUAL)" in result.stdout
    assert "Primary outcomes (11):" in result.stdout
    assert "Placebo (FAS): 7.0" in result.stdout and "p <0.001 (sides not stated" in result.stdout
    terminated = run(config, "show", "NCT00763412").stdout
    assert "Status:" in terminated and "TERMINATED" in terminated
    assert "Latest changes:" in terminated
    assert "Overall status  Completed  Terminated (stopped early)" in terminated  # in words


def test_verbose_lists_every_change_and_quiet_drops_notes(ctgov, make_config, monkeypatch):
    from trialwatch.services import lookups as lookup

    config = populate(ctgov, make_config)
    monkeypatch.setattr(lookup, "LATEST_CHANGES", 1)
    every = json.loads(run(config, "changes", "--study", "NCT00763412", "--json").stdout)
    assert len(every) > 1
    default = json.loads(run(config, "show", "NCT00763412", "--json").stdout)
    verbose = json.loads(run(config, "-v", "show", "NCT00763412", "--json").stdout)
    assert len(default["latest_changes"]) == 1
    assert verbose["latest_changes"] == every
    assert "more with --limit" in run(config, "changes", "--limit", "1").stderr
    assert run(config, "-q", "changes", "--limit", "1").stderr == ""


def test_show_of_a_search_hit_says_only_summary_fields_are_stored(ctgov, make_config):
    config = populate(ctgov, make_config)
    result = run(config, "show", "NCT03630471")
    assert result.exit_code == 0, result.output
    assert "search summary fields only" in result.stdout and "In searches:" in result.stdout
    assert json.loads(run(config, "show", "NCT03630471", "--json").stdout)["searches"] == ["s"]


@pytest.mark.parametrize("command", ["show", "history"])
def test_malformed_id_is_exit_2_with_one_line(tmp_path, command):
    # no config is needed to tell that an id is malformed
    result = run(tmp_path / "absent.toml", command, "NCT123X")
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.output
    assert "'NCT123X' is not an NCT id" in result.stderr


def test_id_not_in_the_store_is_exit_1_and_says_what_to_do(ctgov, make_config):
    config = populate(ctgov, make_config)
    result = run(config, "show", "NCT09999999")
    assert result.exit_code == 1
    assert "not in the store" in result.stderr and "--live" in result.stderr
    assert run(config, "history", "NCT09999999").exit_code == 1


def _sqlite_config(tmp_path: Path) -> Path:
    path = tmp_path / "cfg.toml"
    path.write_text('[database]\nurl = "sqlite:///missing/tw.db"\n', encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args",
    [["show", "NCT02552212"], ["history", "NCT02552212"], ["changes"],
     ["export", "--what", "studies", "-o", "x.csv"]],
)  # fmt: skip
def test_missing_database_is_a_friendly_error_and_creates_nothing(tmp_path, args):
    config = _sqlite_config(tmp_path)
    (tmp_path / "missing").mkdir()
    result = run(config, *args)
    assert result.exit_code == 1
    assert "Traceback" not in result.output and result.stderr.count("\n") == 1
    assert "No trialwatch database at" in result.stderr and "trialwatch refresh" in result.stderr
    assert list((tmp_path / "missing").iterdir()) == []  # not even an empty database file


def test_status_without_a_database_says_so_and_creates_nothing(tmp_path):
    config = _sqlite_config(tmp_path)
    result = run(config, "status")
    assert result.exit_code == 0, result.output
    assert "not created yet" in result.stdout
    assert json.loads(run(config, "status", "--json").stdout)["database"]["exists"] is False
    assert not (tmp_path / "missing").exists()


def test_empty_store(make_config):
    from trialwatch.config import load_config
    from trialwatch.store.engine import open_store

    config = make_config()
    open_store(load_config(config).database_url).dispose()  # schema, no rows
    assert run(config, "show", "NCT02552212").exit_code == 1
    changes = run(config, "changes")
    assert changes.exit_code == 0 and changes.stdout == "" and "No changes" in changes.stderr
    assert json.loads(run(config, "changes", "--json").stdout) == []
    status = json.loads(run(config, "status", "--json").stdout)
    assert status["runs"] == [] and status["stored"] == {"studies": 0, "versions": 0}
    assert status["cited"] == [{"nct_id": "NCT02552212", "cited_as": "cited NCT02552212",
                                "stored": False}]  # fmt: skip


def test_history_shows_versions_and_field_changes(ctgov, make_config):
    config = populate(ctgov, make_config)
    derived = json.loads(run(config, "history", "NCT02552212", "--json").stdout)
    assert [v["version"] for v in derived["versions"]] == ["2023-12-12", "2024-01-03"]
    assert derived["versions"][1]["derived_only"] is True
    assert derived["versions"][1]["changes"] == []
    edited = json.loads(run(config, "history", "nct00763412", "--json").stdout)
    second = edited["versions"][1]
    fields = {c["field"]: c for c in second["changes"]}
    assert fields["overall_status"]["new_value"] == "TERMINATED"
    assert fields["overall_status"]["severity"] == "critical"
    assert fields["enrollment"]["old_value"] == "31" and fields["enrollment"]["new_value"] == "62"
    text = run(config, "history", "NCT00763412").stdout
    assert "Version 2" in text and "Overall status" in text and "Terminated (stopped early)" in text
    hit = json.loads(run(config, "history", "NCT00973089", "--json").stdout)
    assert [c["new_value"] for c in hit["search_changes"]] == ["entered s"]


def test_changes_filters(ctgov, make_config):
    config = populate(ctgov, make_config)
    everything = json.loads(run(config, "changes", "--json").stdout)
    assert {c["field"] for c in everything} >= {"overall_status", "why_stopped", "search"}
    critical = json.loads(run(config, "changes", "--severity", "CRITICAL", "--json").stdout)
    assert [c["field"] for c in critical] == ["overall_status"]
    notable = json.loads(run(config, "changes", "--severity", "notable", "--json").stdout)
    assert {c["severity"] for c in notable} == {"critical", "notable"}
    assert json.loads(run(config, "changes", "--since", "7d", "--json").stdout) == everything
    assert json.loads(run(config, "changes", "--since", "2999-01-01", "--json").stdout) == []
    one = json.loads(run(config, "changes", "--study", "nct00973089", "--json").stdout)
    assert [c["nct_id"] for c in one] == ["NCT00973089"]
    limited = run(config, "changes", "--limit", "1")
    assert limited.stdout.count("\n") == 2 and "more with --limit" in limited.stderr  # TSV
    bad = run(config, "changes", "--since", "last tuesday")
    assert bad.exit_code == 2 and "--since" in bad.stderr


def test_status_reports_runs_tracking_database_and_report(ctgov, make_config, tmp_path):
    config = populate(ctgov, make_config)
    assert json.loads(run(config, "status", "--json").stdout)["last_report"] is None
    services.render_report(load_config(config))
    s = json.loads(run(config, "status", "--json").stdout)
    assert [r["outcome"] for r in s["runs"]] == ["ok", "ok"]
    assert {c["nct_id"]: c["stored"] for c in s["cited"]} == {"NCT02552212": True,
                                                              "NCT00763412": True}  # fmt: skip
    assert s["searches"][0]["name"] == "s" and s["searches"][0]["studies"] == 2
    assert s["stored"]["versions"] == 7 and s["database"]["size_bytes"] > 0
    assert s["last_report"]["directory"] == str(tmp_path / "reports")
    assert s["last_report"]["rendered_at"] and s["last_report"]["bytes"] > 0
    assert s["last_report"]["index_html"] == str(tmp_path / "reports" / "index.html")
    assert s["next_run"]["at"] is not None  # the default [schedule] cron
    assert s["next_run"]["timezone"] == "America/Denver"
    text = run(config, "status").stdout
    assert "Recent refresh runs:" in text and "NCT00763412" in text and "index.html" in text


def _all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    for name, command in group.commands.items():
        out.append((prefix + name, command))
        if isinstance(command, click.Group):
            out += _all_commands(command, f"{prefix}{name} ")
    return out


def test_every_command_has_help_with_an_example():
    for name, command in [("trialwatch", cli), *_all_commands(cli)]:
        assert command.help and "Example" in command.help, f"{name}: no example in its help"
    for name in ("show", "search", "history", "changes", "export", "status"):
        assert "--json" in run(None, name, "--help").stdout


def test_show_imports_nothing_heavy(ctgov, make_config):
    config = populate(ctgov, make_config)
    probe = (
        "import sys\n"
        "from trialwatch.cli.main import main\n"
        f"sys.argv = ['trialwatch', '--config', {str(config)!r}, 'show', 'NCT02552212']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "heavy = {'pandas', 'numpy', 'matplotlib', 'requests', 'jinja2', 'alembic', 'urllib3'}\n"
        "print('LOADED', sorted(heavy & {m.split('.')[0] for m in sys.modules}), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert "LOADED []" in done.stderr, done.stderr
    assert "Primary outcomes" in done.stdout


def test_since_counts_weeks_as_seven_days():
    from datetime import UTC, datetime, timedelta

    from trialwatch.cli.lookups import parse_since

    now = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
    assert parse_since("2w", now=now) == now - timedelta(days=14)
    assert parse_since("3d", now=now) == now - timedelta(days=3)
    assert parse_since("1w", now=now) != parse_since("1d", now=now)


def test_show_of_an_alias_shows_the_study_that_lists_it(ctgov, make_config):
    """SYNTHETIC: the real NCT02552212 record edited to list NCT01111111 among its aliases."""
    record = study("NCT02552212")
    record["protocolSection"]["identificationModule"]["nctIdAliases"] = ["NCT01111111"]
    ctgov.get(f"{API}/studies", json=page(record))
    config = make_config(studies=["NCT01111111"])
    services.refresh(load_config(config))
    result = run(config, "show", "nct01111111", "--json")
    assert result.exit_code == 0, result.output
    detail = json.loads(result.stdout)
    assert detail["nct_id"] == "NCT02552212" and detail["aliases"] == ["NCT01111111"]
    assert detail["note"] == "NCT01111111 is an alias of NCT02552212"
    text = run(config, "show", "NCT01111111")
    assert text.exit_code == 0 and "NCT02552212" in text.stdout
    assert run(config, "show", "NCT01111112").exit_code == 1  # not an alias of anything
