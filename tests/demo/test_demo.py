"""The offline demo runs the whole pipeline on bundled real records with no network."""

from __future__ import annotations

import json

import sqlalchemy as sa
from click.testing import CliRunner

from trialwatch.cli.main import cli
from trialwatch.demo.replay import DATA_DIR


def test_bundled_demo_data_is_real_and_documented():
    provenance = (DATA_DIR / "PROVENANCE.md").read_text()
    for path in sorted((DATA_DIR / "studies").glob("*.json")) + sorted(
        (DATA_DIR / "search_pages").glob("*.json")
    ):
        assert path.name in provenance
        json.loads(path.read_bytes())


def test_demo_command_runs_offline(tmp_path, monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the demo must not open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    result = CliRunner().invoke(cli, ["demo", "--dir", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert "DEMO DATA" in result.output and "9 new versions" in result.output
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'demo' / 'demo.db'}")
    with engine.connect() as conn:
        versions = conn.execute(
            sa.text(
                "SELECT version_holder FROM record_versions"
                " WHERE nct_id='NCT02552212' ORDER BY version_no"
            )
        ).all()
        changes = conn.execute(sa.text("SELECT count(*) FROM changes")).scalar_one()
        members = conn.execute(
            sa.text("SELECT search_name, count(*) FROM search_hits GROUP BY 1 ORDER BY 1")
        ).all()
    engine.dispose()
    assert [v[0] for v in versions] == ["2023-12-12", "2024-01-03"]
    assert changes == 0  # the real pair differs only in derived data
    assert members == [("nsclc-egfr-l858r", 2), ("phelan-mcdermid", 3)]
    assert (tmp_path / "demo" / "config.toml").exists()


def test_demo_rerun_starts_over(tmp_path):
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(cli, ["demo", "--dir", str(tmp_path)])
        assert result.exit_code == 0, result.output
    assert "9 new versions" in result.output
