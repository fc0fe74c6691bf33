"""A registry that is down for several scheduled runs, as the clinic would live with it.

The fake API on 127.0.0.1 serves the real record NCT02552212; "down" is a port where nothing
listens. Alerts go through a real SMTP server on 127.0.0.1. Checked: the stale banner on every
page with the right age and count, exactly one failing and one recovered alert in the feed and by
e-mail, `status --check` exiting 1 then 0, and a textfile that Prometheus' own parser reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import study, table_contents
from tests.fakeapi import FakeApi
from tests.smtp_server import SmtpServer, free_port, running_smtp
from trialwatch.cli.main import cli
from trialwatch.config import load_config
from trialwatch.schedule import job as jobs
from trialwatch.services import pipeline as services
from trialwatch.services.status import health_check
from trialwatch.store.models import utcnow

BANNER = "This data may be out of date"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with running_smtp() as server:
        yield server


@pytest.fixture
def api() -> Iterator[FakeApi]:
    with FakeApi([study("NCT02552212")]) as fake:
        yield fake


def write_config(path: Path, base_url: str, db_url: str, smtp: SmtpServer) -> Path:
    path.write_text(
        "\n".join(
            [
                "[api]",
                f"base_url = {json.dumps(base_url)}",
                "min_interval = 0",
                "max_retries = 0",
                "connect_timeout = 2",
                "read_timeout = 5",
                "[database]",
                f"url = {json.dumps(db_url)}",
                "[report]",
                'dir = "reports"',
                "stale_after_days = 3",
                "[monitoring]",
                'textfile = "metrics/trialwatch.prom"',
                "[[studies]]",
                'nct_id = "NCT02552212"',
                'cited_as = "the cited trial"',
            ]
        )
        + "\n"
        + smtp.alerts_config(),
        encoding="utf-8",
    )
    return path


def check(config_path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--config", str(config_path), "status", "--check"])
    return result.exit_code, result.output.strip()


def metrics(path: Path) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(path.read_text()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def health_entries(report_dir: Path) -> list[str]:
    feed = feedparser.parse((report_dir / "feed.xml").read_text())
    assert not feed.bozo, feed.bozo_exception
    return [e.title for e in feed.entries if e.tags and e.tags[0].term in ("failing", "recovered")]


def health_mails(smtp: SmtpServer) -> list[str]:
    return [
        r.message["Subject"] for r in smtp.received if "trialwatch refresh" in r.message["Subject"]
    ]


def test_a_week_of_failed_runs_is_told_once_and_its_end_once(tmp_path, db_url, api, smtp):
    path = tmp_path / "config.toml"
    config = load_config(write_config(path, api.url, db_url, smtp))
    assert jobs.run_job(str(path)) is jobs.Outcome.OK
    pages = sorted(config.report_dir.glob("*.html"))
    assert pages and not any(BANNER in p.read_text() for p in pages)
    assert check(path)[0] == 0 and check(path)[1].startswith("OK: last successful refresh")
    good = metrics(config.metrics_file)
    assert good[("trialwatch_last_run_outcome", (("outcome", "ok"),))] == 1
    assert good[("trialwatch_last_run_requests", ())] >= 2
    data_before = table_contents(db_url, ("studies", "record_versions", "changes"))

    write_config(path, f"http://127.0.0.1:{free_port()}/api/v2", db_url, smtp)  # registry down
    for run in range(1, 4):
        assert jobs.run_job(str(path)) is jobs.Outcome.FAILED
        assert len(health_entries(config.report_dir)) == (0 if run == 1 else 1)
        assert len(health_mails(smtp)) == (0 if run == 1 else 1)
        for page in config.report_dir.glob("*.html"):
            text = page.read_text()
            assert BANNER in text and "The last scheduled refresh failed" in text, page.name
            assert f"{run} refresh run{'s' if run > 1 else ''} failed since" in text
    assert table_contents(db_url, ("studies", "record_versions", "changes")) == data_before
    [failing] = health_mails(smtp)
    assert "failing since" in failing and "(2 failed runs)" in failing
    code, line = check(path)
    assert code == 1 and line.startswith("PROBLEM:") and "3 failed runs since" in line
    assert "Cannot reach" in line or "did not answer" in line
    down = metrics(config.metrics_file)
    assert down[("trialwatch_last_run_outcome", (("outcome", "failed"),))] == 1
    assert down[("trialwatch_last_success_timestamp_seconds", ())] == pytest.approx(
        good[("trialwatch_last_success_timestamp_seconds", ())]
    )

    # Five days on, a render says how old the data has become.
    index = services.render_report(config, now=utcnow() + timedelta(days=5))
    assert "It is 5 days old" in index.read_text()
    assert health_check(config, now=utcnow() + timedelta(days=5))[0] is False

    write_config(path, api.url, db_url, smtp)  # the registry is back
    assert jobs.run_job(str(path)) is jobs.Outcome.OK
    titles = health_entries(config.report_dir)
    assert len(titles) == 2 and "recovered" in titles[0] and "failing since" in titles[1]
    mails = health_mails(smtp)
    assert len(mails) == 2 and "recovered" in mails[1] and "after 3 failed runs" in mails[1]
    assert not any(BANNER in p.read_text() for p in config.report_dir.glob("*.html"))
    assert check(path)[0] == 0
    assert metrics(config.metrics_file)[("trialwatch_last_run_outcome", (("outcome", "ok"),))] == 1

    assert jobs.run_job(str(path)) is jobs.Outcome.OK  # nothing more to tell
    assert len(health_mails(smtp)) == 2 and len(health_entries(config.report_dir)) == 2


def test_a_failed_send_of_the_failing_alert_is_sent_with_the_next_run(tmp_path, db_url, api):
    path = tmp_path / "config.toml"
    with running_smtp() as smtp:
        write_config(path, api.url, db_url, smtp)
        assert jobs.run_job(str(path)) is jobs.Outcome.OK
    dead = SmtpServer(port=free_port())  # the mail server is down too
    write_config(path, f"http://127.0.0.1:{free_port()}/api/v2", db_url, dead)
    assert jobs.run_job(str(path)) is jobs.Outcome.FAILED
    assert jobs.run_job(str(path)) is jobs.Outcome.FAILED  # the alert is due, but not sent
    with running_smtp() as smtp:
        write_config(path, f"http://127.0.0.1:{free_port()}/api/v2", db_url, smtp)
        assert jobs.run_job(str(path)) is jobs.Outcome.FAILED
        assert len(health_mails(smtp)) == 1 and "(2 failed runs)" in health_mails(smtp)[0]


def test_status_check_without_any_refresh_fails(tmp_path, db_url, smtp):
    path = write_config(tmp_path / "config.toml", "https://ctgov.test/api/v2", db_url, smtp)
    code, line = check(path)
    assert code == 1 and line == "PROBLEM: no refresh has succeeded yet"
