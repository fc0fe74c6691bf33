"""The offline demo: the clinic's config over bundled archived records (the 2018 snapshot, then
the 2020 one), with no network; the cited studies' real changes in the store, `history`,
`changes` and the report; related searches over the archived records, saying so."""

from __future__ import annotations

import re
import tomllib

import pytest
import sqlalchemy as sa

from tests.faults.harness import run_cli
from trialwatch.demo import CITED, archived_studies
from trialwatch.demo.replay import ARCHIVE_DIR, DATA_DIR, snapshots
from trialwatch.domain.classic import read_classic_xml
from trialwatch.domain.ids import CANONICAL

ROOT_CONFIG = DATA_DIR.parents[2] / "config.toml"


def test_bundled_archive_is_real_and_documented():
    provenance = (DATA_DIR / "PROVENANCE.md").read_text()
    files = sorted(ARCHIVE_DIR.glob("*.xml"))
    assert len(files) == 34
    for path in files:
        assert f"`{path.name}`" in provenance
        nct, snapshot = path.stem.split("__")
        parsed = read_classic_xml(path.read_bytes())
        assert (parsed.nct_id, parsed.snapshot_date) == (nct, snapshot)
    assert all(len(v) == 2 for v in snapshots().values())  # every study in both snapshots


def test_demo_config_is_the_clinics_own():
    demo = tomllib.loads((DATA_DIR / "config.toml").read_text())
    clinic = tomllib.loads(ROOT_CONFIG.read_text())
    assert demo["studies"] == clinic["studies"]  # cited exactly as the page cites them
    assert [s["nct_id"] for s in demo["studies"]] == list(CITED)
    assert [(s["name"], s["params"]) for s in demo["searches"]] == [
        (s["name"], s["params"]) for s in clinic["searches"]
    ]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the demo must not open a network connection")

    original = socket.create_connection
    socket.create_connection = no_network
    try:
        directory = tmp_path_factory.mktemp("demo")
        result = run_cli("demo", "--dir", str(directory))
    finally:
        socket.create_connection = original
    assert result.exit_code == 0, result.stderr
    return directory, result


def _rows(directory, sql: str) -> list[tuple]:
    engine = sa.create_engine(f"sqlite:///{directory / 'demo.db'}")
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()


def _changes(directory, nct: str) -> dict[str, tuple]:
    """{field: (old, new, severity)}; a field logged more than once keeps its first row."""
    rows = _rows(
        directory,
        f"SELECT field, old_value, new_value, severity FROM changes WHERE nct_id = '{nct}' "
        "AND search_name IS NULL ORDER BY id",
    )
    out: dict[str, tuple] = {}
    for field, old, new, severity in rows:
        out.setdefault(field, (old, new, severity))
    return out


def test_demo_replays_the_2018_then_the_2020_snapshot(demo):
    directory, result = demo
    assert "DEMO DATA" in result.stdout and "2018-05-29, then 2020-07-28" in result.stdout
    for nct in CITED:
        versions = _rows(
            directory,
            f"SELECT version_holder, scope FROM record_versions WHERE nct_id = '{nct}' "
            "ORDER BY version_no",
        )
        assert versions == [("2018-05-29", "full"), ("2020-07-28", "full")]


def test_replayed_versions_are_observed_on_their_snapshots_date(demo):
    """Not on the day the demo runs: the history reads in time order, and the report's flags
    date a change between the two snapshots."""
    directory, _ = demo
    rows = _rows(
        directory,
        "SELECT DISTINCT observed_date FROM record_versions ORDER BY 1",
    )
    assert rows == [("2018-05-29",), ("2020-07-28",)]
    for nct in CITED:
        observed = _rows(
            directory,
            f"SELECT observed_date FROM record_versions WHERE nct_id = '{nct}' ORDER BY version_no",
        )
        assert observed == [("2018-05-29",), ("2020-07-28",)]
    history = run_cli("--config", str(directory / "config.toml"), "history", "NCT01558063")
    assert re.findall(r"Version (\d)  observed (\S+),", history.stdout) == [
        ("1", "2018-05-29"), ("2", "2020-07-28"),
    ]  # fmt: skip
    study = _text(directory / "reports" / "study-NCT01558063.html")
    assert "changed between 2018-05-29 and 2019-12-10 (versions 1 and 2)" in study


def test_the_cited_studies_show_their_real_changes(demo):
    directory, _ = demo
    nimh = _changes(directory, "NCT00088699")
    assert nimh["enrollment"] == ("233", "67", "notable")
    assert "Bipolar Depression" in nimh["conditions"][0]
    assert "Bipolar Depression" not in nimh["conditions"][1]
    assert nimh["intervention_removed"][:2] == ("DRUG: Riluzole", None)
    assert nimh["intervention_added"][:2] == (None, "DRUG: Placebo")
    assert nimh["results"] == ("not posted", "posted 2018-10-12", "critical")
    assert nimh["primary_outcome_replaced"][0].startswith("Efficacy (reduction from baseline")
    columbia = _changes(directory, "NCT01558063")
    assert columbia["overall_status"] == ("ACTIVE_NOT_RECRUITING", "COMPLETED", "notable")
    assert columbia["enrollment"][:2] == ("76", "38")
    assert columbia["enrollment_type"][:2] == ("ESTIMATED", "ACTUAL")
    assert columbia["primary_completion_date"][:2] == ("2017-03", "2015-05")
    assert columbia["primary_completion_date_type"][:2] == ("ESTIMATED", "ACTUAL")
    assert columbia["results"][:2] == ("not posted", "posted 2019-07-16")
    assert columbia["primary_outcome_replaced"][0].startswith("Change of score on Hamilton")


def test_history_and_changes_commands_show_them(demo):
    directory, _ = demo
    config = str(directory / "config.toml")
    history = run_cli("--config", config, "history", "NCT00088699")
    assert history.exit_code == 0, history.stderr
    assert "record version 2018-05-29" in history.stdout
    assert "record version 2020-07-28" in history.stdout
    assert re.search(r"Enrollment\s+233\s+67", history.stdout)
    changes = run_cli("--config", config, "changes", "--study", "NCT01558063")
    assert changes.exit_code == 0, changes.stderr
    assert "Overall status\tRunning, no longer recruiting\tCompleted" in changes.stdout
    assert "Primary completion date\t2017-03\t2015-05" in changes.stdout


def test_report_pages_show_the_changes_and_say_what_the_searches_cover(demo):
    directory, _ = demo
    reports = directory / "reports"
    study = _text(reports / "study-NCT00088699.html")
    assert "Rapid Antidepressant Effects of Ketamine in Major Depression" in study
    assert re.search(r"[Ee]nrollment 233 67", study)
    assert "Riluzole" in study
    n = archived_studies()
    assert n == 17
    for search in ("ketamine-depression", "ketamine-ptsd", "ketamine-anxiety"):
        page = _text(reports / f"search-{search}.html")
        assert f"searched over {n} archived records, not the whole registry" in page
    members = dict(
        _rows(directory, "SELECT search_name, count(*) FROM search_hits GROUP BY 1 ORDER BY 1")
    )
    assert 0 < members["ketamine-depression"] <= n
    assert members["ketamine-ptsd"] >= 2  # NCT00749203, NCT02397889 are the PTSD trials


def test_demo_rerun_starts_over(tmp_path):
    for _ in range(2):
        result = run_cli("demo", "--dir", str(tmp_path))
        assert result.exit_code == 0, result.stderr
    rows = _rows(tmp_path, "SELECT count(*) FROM record_versions WHERE nct_id = 'NCT00088699'")
    assert rows == [(2,)]
    assert all(CANONICAL.match(n) for (n,) in _rows(tmp_path, "SELECT nct_id FROM studies"))


def _text(path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))
