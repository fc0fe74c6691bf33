"""Staff commands that write files or ask the live registry: export, search, show --live."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
import sqlalchemy as sa

from tests.conftest import API, ids_matcher, load_fixture, page, param_matcher, study
from tests.staff_store import populate, run
from trialwatch.cli.output import Progress, table


def _read(path, fmt):
    """Read an export back as text, so registry values can be compared verbatim."""
    if fmt == "csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    if fmt == "xlsx":
        return pd.read_excel(path, dtype=str, keep_default_na=False)
    return pd.DataFrame(json.loads(path.read_text())).astype(str)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_exports_read_back_with_pandas(ctgov, make_config, tmp_path, fmt):
    config = populate(ctgov, make_config)
    frames = {}
    for what in ("studies", "outcomes", "adverse-events", "changes", "search-hits"):
        out = tmp_path / f"{what}.{fmt}"
        result = run(config, "export", "--what", what, "-o", str(out))
        assert result.exit_code == 0, result.output
        frames[what] = _read(out, fmt)

    studies = frames["studies"].set_index("NCT ID")
    assert len(studies) == 5  # 2 cited + 3 search hits ever seen
    assert studies.loc["NCT02552212", "Start date"] == "2015-09"  # partial date kept
    assert studies.loc["NCT00763412", "Overall status"] == "TERMINATED"
    assert studies.loc["NCT02552212", "Enrollment"] == "317"  # not 317.0

    outcomes = frames["outcomes"]
    first = outcomes[(outcomes["NCT ID"] == "NCT02552212") & (outcomes["Outcome number"] == "1")]
    assert dict(zip(first["Arm"], first["Value"], strict=True)) == {
        "Placebo (FAS)": "7.0", "CZP 200 mg Q2W (FAS)": "47.2"
    }  # fmt: skip

    # adverse events: one row per arm and event, each with that arm's own counts
    raw = study("NCT02552212", "versionHolder-2024-01-03")["resultsSection"]["adverseEventsModule"]
    expected_rows = sum(len(e["stats"]) for e in raw["seriousEvents"] + raw["otherEvents"])
    ae = frames["adverse-events"]
    ucb = ae[ae["NCT ID"] == "NCT02552212"]
    assert len(ucb) == expected_rows
    glaucoma = ucb[ucb["Event"] == "Glaucoma"].set_index("Arm ID")
    assert glaucoma.loc["EG001", "Participants affected"] == "1"
    assert glaucoma.loc["EG001", "Participants at risk"] == "159"
    assert glaucoma.loc["EG000", "Participants at risk"] == "158"

    changes = frames["changes"]
    assert "TERMINATED" in set(changes["New value"]) and "critical" in set(changes["Severity"])
    hits = frames["search-hits"].set_index("NCT ID")
    assert hits.loc["NCT06171568", "In the search now"] in ("False", "false", "0")
    assert hits.loc["NCT00973089", "In the search now"] in ("True", "true", "1")


def test_export_format_errors_and_json_summary(ctgov, make_config, tmp_path):
    config = populate(ctgov, make_config)
    unknown = run(config, "export", "--what", "studies", "-o", str(tmp_path / "x.txt"))
    assert unknown.exit_code == 2 and "--format" in unknown.stderr
    result = run(
        config, "export", "--what", "changes", "--format", "csv", "-o", str(tmp_path / "c.txt"),
        "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["format"] == "csv" and summary["rows"] == len(pd.read_csv(tmp_path / "c.txt"))
    assert run(config, "export", "--what", "nonsense", "-o", "x.csv").exit_code == 2


def _phelan_pages(ctgov):
    first = load_fixture("search_pages/biomcp__search_phelan_limit5_20260811.json")
    second = load_fixture("search_pages/biomcp__search_phelan_next_20260811.json")
    token = first["nextPageToken"]
    ctgov.get(f"{API}/studies", json=second, match=[param_matcher(pageToken=token)])
    ctgov.get(f"{API}/studies", json=first, match=[param_matcher(pageToken=None)])
    return first, second


def test_search_is_live_paginated_limited_and_stores_nothing(ctgov, make_config, db_url):
    config = make_config()
    first, second = _phelan_pages(ctgov)
    result = run(config, "search", "--cond", "Phelan-McDermid Syndrome", "--status", "recruiting",
                 "--phase", "3", "--limit", "7", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    ids = [s["protocolSection"]["identificationModule"]["nctId"] for s in first["studies"]]
    ids += [s["protocolSection"]["identificationModule"]["nctId"] for s in second["studies"]][:2]
    assert [s["nct_id"] for s in got["studies"]] == ids
    assert got["total_count"] == 21 and got["returned"] == 7
    studies_calls = [c.request.url for c in ctgov.calls if "/studies" in c.request.url]
    asked = parse_qs(urlsplit(studies_calls[0]).query)
    assert asked["query.cond"] == ["Phelan-McDermid Syndrome"]
    assert asked["filter.overallStatus"] == ["RECRUITING"]
    assert asked["filter.advanced"] == ["AREA[Phase]PHASE3"] and "filter.phase" not in asked
    assert asked["pageSize"] == ["7"] and "NCTId" in asked["fields"][0]
    assert len(studies_calls) == 2  # page 2 followed the token, then the limit stopped it
    if db_url.startswith("sqlite"):
        assert not (config.parent / "trialwatch.db").exists()
    else:
        engine = sa.create_engine(db_url)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM studies")).scalar() == 0
        engine.dispose()


def test_search_table_and_usage_errors(ctgov, make_config):
    config = make_config()
    _phelan_pages(ctgov)
    result = run(config, "search", "phelan", "--limit", "3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()  # piped: a header and one tab-separated row per study
    assert lines[0].split("\t")[0] == "NCT ID" and len(lines) == 4
    assert "\r" not in result.stderr  # no progress display when not on a terminal
    assert "3 of 21 matching studies shown (use --limit to see more)" in result.stderr
    for bad in (["search"], ["search", "x", "--status", "sleeping"],
                ["search", "x", "--phase", "9"], ["search", "x", "--limit", "0"]):  # fmt: skip
        failed = run(config, *bad)
        assert failed.exit_code == 2, (bad, failed.output)
        assert "Traceback" not in failed.output


def test_search_registry_failure_is_exit_1_one_line(ctgov, make_config):
    ctgov.get(f"{API}/studies", body="<html>maintenance</html>", status=200)
    result = run(make_config(), "search", "x")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


def test_show_live_fetches_and_stores(ctgov, make_config, db_url):
    config = make_config(studies=[])
    record = study("NCT00763412")
    ctgov.get(f"{API}/studies", json=page(record), match=[ids_matcher("NCT00763412")])
    result = run(config, "show", "nct00763412", "--live", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["overall_status"] == "COMPLETED"
    assert "Stored a new version of NCT00763412" in result.stderr
    stored = run(config, "show", "NCT00763412", "--json")  # now from the store, no network
    assert json.loads(stored.stdout)["stored_version_no"] == 1
    again = run(config, "show", "NCT00763412", "--live")
    assert again.exit_code == 0 and "new version" not in again.stderr  # same content: no version


def test_show_live_waits_for_a_running_refresh_then_gives_up(
    ctgov, make_config, db_url, monkeypatch
):
    from trialwatch.cli import lookups as commands
    from trialwatch.store.lock import refresh_lock

    monkeypatch.setattr(commands, "LIVE_LOCK_WAIT", 0.0)
    config = make_config(studies=[])
    ctgov.get(f"{API}/studies", json=page(study("NCT00763412")))
    engine = sa.create_engine(db_url)
    try:
        with refresh_lock(engine):  # another process's refresh, as far as the store can tell
            result = run(config, "show", "NCT00763412", "--live")
    finally:
        engine.dispose()
    assert result.exit_code == 1 and "Another trialwatch refresh is running" in result.stderr
    assert run(config, "show", "NCT00763412").exit_code == 1  # nothing was stored


def test_show_live_unknown_id_is_exit_1(ctgov, make_config):
    ctgov.get(f"{API}/studies", json=page())
    result = run(make_config(studies=[]), "show", "NCT09999999", "--live")
    assert result.exit_code == 1 and "not found in the registry" in result.stderr


def test_table_is_aligned_on_a_terminal_and_tab_separated_in_a_pipe():
    rows = [{"a": "NCT1", "b": "x" * 100}, {"a": None, "b": ["P2", "P3"]}]
    aligned = table(rows, [("a", "ID"), ("b", "Text")], tty=True).splitlines()
    assert aligned[0].startswith("ID    Text") and aligned[2].endswith("…")
    assert len(aligned[2]) <= 6 + 60
    piped = table(rows, [("a", "ID"), ("b", "Text")], tty=False).splitlines()
    assert piped == ["ID\tText", "NCT1\t" + "x" * 100, "\tP2, P3"]


def test_progress_writes_only_when_enabled(capsys):
    Progress(False).update("quiet")
    bar = Progress(True)
    bar.update("3 of 21")
    bar.close()
    err = capsys.readouterr().err
    assert "quiet" not in err and "3 of 21" in err
