"""Issue "done when": `trialwatch --config X refresh` against a server speaking API v2, run as a
real process, stores records, versions and changes; a second refresh with nothing changed adds no
version."""

from __future__ import annotations

import subprocess
import sys

import sqlalchemy as sa

from tests.conftest import study
from tests.fakeapi import FakeApi


def _refresh(config, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "trialwatch", "--config", str(config), "refresh", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_refresh_process_against_a_local_api(tmp_path):
    db = tmp_path / "tw.db"
    with FakeApi([study("NCT02552212"), study("NCT00763412"), study("NCT03418623")]) as api:
        api.set_search({"query.cond": "alcohol"}, ["NCT03418623"])
        config = tmp_path / "config.toml"
        config.write_text(
            f'[api]\nbase_url = "{api.url}"\nmin_interval = 0\n'
            f'[database]\nurl = "sqlite:///{db.name}"\n'
            '[[studies]]\nnct_id = "NCT02552212"\n[[studies]]\nnct_id = "nct00763412"\n'
            '[[searches]]\nname = "aud"\nparams = { "query.cond" = "alcohol" }\n'
        )
        first = _refresh(config)
        assert first.returncode == 0, first.stderr
        assert "3 new versions" in first.stdout

        api.reset_counts()
        second = _refresh(config)
        assert second.returncode == 0, second.stderr
        assert "0 new versions, 0 changes" in second.stdout
        assert api.paths["studies"] == 2  # one probe batch + one windowed search page

        edited = study("NCT02552212")  # SYNTHETIC edit of a real record
        edited["protocolSection"]["statusModule"]["overallStatus"] = "SUSPENDED"
        edited["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2026-11-26"
        api.put(edited)
        third = _refresh(config)
        assert third.returncode == 0, third.stderr
        assert "1 new versions, 1 changes" in third.stdout

    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        versions = conn.execute(
            sa.text("SELECT nct_id, version_no FROM record_versions ORDER BY 1, 2")
        ).all()
        change = conn.execute(sa.text("SELECT field, new_value, severity FROM changes")).one()
        scopes = conn.execute(sa.text("SELECT nct_id, scope FROM studies ORDER BY 1")).all()
    engine.dispose()
    assert versions == [
        ("NCT00763412", 1),
        ("NCT02552212", 1),
        ("NCT02552212", 2),
        ("NCT03418623", 1),
    ]
    assert tuple(change) == ("overall_status", "SUSPENDED", "critical")
    # the search hit is stored from its summary fields, the cited studies as full records
    assert scopes == [("NCT00763412", "full"), ("NCT02552212", "full"), ("NCT03418623", "summary")]
