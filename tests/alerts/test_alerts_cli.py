"""`trialwatch alerts [--test]` and `trialwatch changes --unnotified`, through the real entry point.

Changes come from the SYNTHETIC TERMINATED variant of the real NCT02552212 (test_alerts_email).
"""

from __future__ import annotations

import json

import responses

from tests.conftest import API, page, study
from tests.smtp_server import free_port, running_smtp
from tests.synthetic_edits import terminated
from trialwatch.cli.main import main
from trialwatch.config import load_config
from trialwatch.services import pipeline as services


def run_cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run `trialwatch ARGS` as the console script does; (exit code, stdout, stderr)."""
    monkeypatch.setattr("sys.argv", ["trialwatch", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_alerts_test_sends_one_message(make_config, monkeypatch, capsys):
    with running_smtp() as server:
        path = make_config(extra=server.alerts_config())
        code, out, _err = run_cli(monkeypatch, capsys, "--config", str(path), "alerts", "--test")
    assert code == 0
    assert "test message sent to dr.a@clinic.example, Dr B <dr.b@clinic.example>" in out
    assert len(server.received) == 1
    message = server.received[0].message
    assert message["Subject"] == "trialwatch: test message"
    assert message["To"] == "dr.a@clinic.example, Dr B <dr.b@clinic.example>"
    assert "change alerts will reach this address" in message.get_content()


def test_alerts_test_exits_1_when_the_server_cannot_be_reached(make_config, monkeypatch, capsys):
    closed = free_port()
    with running_smtp() as server:
        extra = server.alerts_config().replace(f"port = {server.port}", f"port = {closed}")
    path = make_config(extra=extra)
    code, _out, err = run_cli(monkeypatch, capsys, "--config", str(path), "alerts", "--test")
    assert code == 1
    assert err.startswith(f"Error: could not send e-mail through 127.0.0.1:{closed}: ")
    assert err.count("\n") == 1  # one line, no traceback


def test_alerts_test_exits_2_without_email_config(make_config, monkeypatch, capsys):
    path = make_config()
    code, _out, err = run_cli(monkeypatch, capsys, "--config", str(path), "alerts", "--test")
    assert code == 2
    assert "no [alerts.email] table" in err


def test_unnotified_lists_what_has_not_gone_out(ctgov, make_config, db_url, monkeypatch, capsys):
    closed = free_port()
    with running_smtp() as server:
        working = server.alerts_config()
        broken = working.replace(f"port = {server.port}", f"port = {closed}")
        path = make_config(extra=broken)
        cfg = load_config(path)
        ctgov.get(f"{API}/studies", json=page(study("NCT02552212")))
        services.refresh(cfg, full=True)
        ctgov.replace(responses.GET, f"{API}/studies", json=page(terminated()))
        result = services.refresh(cfg, full=True)
        assert result.changes == 3 and server.received == []
        capsys.readouterr()

        args = ("--config", str(path), "changes", "--unnotified")
        code, out, _err = run_cli(monkeypatch, capsys, *args, "--json")
        assert code == 0
        rows = json.loads(out)
        # the e-mail threshold is notable: the minor title change is not pending
        assert sorted(r["field"] for r in rows) == ["overall_status", "why_stopped"]
        assert all(r["notified_at"] is None for r in rows)
        code, out, _err = run_cli(monkeypatch, capsys, *args, "--severity", "minor", "--json")
        assert sorted(r["field"] for r in json.loads(out)) == [
            "brief_title",
            "overall_status",
            "why_stopped",
        ]

        code, _out, err = run_cli(monkeypatch, capsys, "--config", str(path), "alerts")
        assert code == 1 and "WARNING alerts" in err and "stay pending" in err

        path.write_text(path.read_text().replace(broken, working))
        code, out, err = run_cli(monkeypatch, capsys, "--config", str(path), "alerts")
        assert code == 0, err
        assert "e-mailed a digest of 2 changes in 1 study to 2 recipients" in err
        assert f"Feed up to date: {cfg.report_dir / 'feed.xml'} (1 entry)" in out
        assert len(server.received) == 1

    code, out, err = run_cli(monkeypatch, capsys, *args)
    assert code == 0 and out == ""
    assert "No changes recorded that match." in err


def test_unnotified_says_when_email_is_off(ctgov, make_config, db_url, monkeypatch, capsys):
    path = make_config()
    ctgov.get(f"{API}/studies", json=page(study("NCT02552212")))
    services.refresh(load_config(path), full=True)
    ctgov.replace(responses.GET, f"{API}/studies", json=page(terminated()))
    services.refresh(load_config(path), full=True)
    capsys.readouterr()
    code, out, err = run_cli(monkeypatch, capsys, "--config", str(path), "changes", "--unnotified")
    assert code == 0
    assert "E-mail alerts are off" in err
    assert "Terminated (stopped early)" in out  # in words
    assert "Brief title" not in out  # notable and up only
