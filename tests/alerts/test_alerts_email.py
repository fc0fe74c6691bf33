"""The e-mail digest against a real SMTP server on 127.0.0.1, driven by real refreshes.

Changes come from a SYNTHETIC edit of the real record NCT02552212 (tests/fixtures/ctgov): its
status set to TERMINATED and a why-stopped text carrying markup (a critical and a notable
change, and untrusted text to escape), plus the real NCT00763412 with its enrollment raised
from 31 to 62 (notable).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import responses
import sqlalchemy as sa

from tests.conftest import API, page, query_rows, study
from tests.smtp_server import SmtpServer, free_port, running_smtp
from tests.synthetic_edits import XSS, enrollment_doubled, terminated
from trialwatch.config import load_config
from trialwatch.services import pipeline as services


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with running_smtp() as server:
        yield server


def _config(make_config, extra: str) -> Path:
    return make_config(studies=["NCT02552212", "NCT00763412"], extra=extra)


def _refresh_with(ctgov, cfg, *records):
    ctgov.replace(responses.GET, f"{API}/studies", json=page(*records))
    return services.refresh(cfg, full=True)


def _baseline(ctgov, cfg):
    ctgov.get(f"{API}/studies", json=page(study("NCT02552212"), study("NCT00763412")))
    return services.refresh(cfg, full=True)


def _notified(db_url: str) -> list[tuple[str, str, bool]]:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT nct_id, field, notified_at IS NOT NULL FROM changes ORDER BY id")
        ).all()
    engine.dispose()
    return [(r[0], r[1], bool(r[2])) for r in rows]


def test_digest_after_a_refresh_that_found_changes(ctgov, make_config, db_url, smtp):
    cfg = load_config(_config(make_config, smtp.alerts_config()))
    first = _baseline(ctgov, cfg)
    assert first.changes == 0 and smtp.received == []  # a first sight is no change: no e-mail
    result = _refresh_with(ctgov, cfg, terminated(), enrollment_doubled())
    # status, why stopped, enrollment; the title is minor
    assert result.changes == 4
    assert len(smtp.received) == 1
    got = smtp.received[0]
    assert got.mail_from == "trialwatch@clinic.example"
    assert got.rcpt_tos == ["dr.a@clinic.example", "dr.b@clinic.example"]
    msg = got.message
    assert msg["From"] == "trialwatch@clinic.example"
    assert msg["To"] == "dr.a@clinic.example, Dr B <dr.b@clinic.example>"
    assert msg["Subject"] == "trialwatch: 3 changes in 2 studies, 1 critical"
    assert msg["Message-ID"].endswith("@clinic.example>") and msg["Date"]
    assert msg.get_content_type() == "multipart/alternative"
    plain = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    # plain text carries the registry text as it is; nothing there is interpreted as markup
    assert "critical  Overall status: Completed → Terminated (stopped early)" in plain
    assert f"Why stopped: {XSS}" in plain
    assert "Enrollment: 31 → 62" in plain
    assert "ClinicalTrials.gov: https://clinicaltrials.gov/study/NCT02552212" in plain
    # the HTML part escapes it
    assert "<script>" not in html and "<img" not in html and "<b>funding" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;funding" in html
    assert "Certolizumab &lt;img src=x onerror=&#34;alert(1)&#34;&gt; study" in html
    assert '<a href="https://clinicaltrials.gov/study/NCT00763412">' in html
    assert "minor" not in plain  # below the threshold: the brief-title change is not listed
    assert sorted(_notified(db_url)) == [
        ("NCT00763412", "enrollment", True),
        ("NCT02552212", "brief_title", False),  # minor: never e-mailed, stays pending
        ("NCT02552212", "overall_status", True),
        ("NCT02552212", "why_stopped", True),
    ]
    assert any("e-mailed a digest of 3 changes in 2 studies" in n for n in result.notes)


def test_no_email_when_nothing_changed(ctgov, make_config, db_url, smtp):
    cfg = load_config(_config(make_config, smtp.alerts_config()))
    _baseline(ctgov, cfg)
    again = _refresh_with(ctgov, cfg, study("NCT02552212"), study("NCT00763412"))
    assert again.changes == 0
    # a change below the threshold (a minor title edit, SYNTHETIC) sends nothing either
    retitled = study("NCT02552212")
    retitled["protocolSection"]["identificationModule"]["briefTitle"] += " (retitled)"
    minor = _refresh_with(ctgov, cfg, retitled, study("NCT00763412"))
    assert minor.changes == 1
    assert smtp.received == []
    assert not any("alerts" in n for n in minor.notes)


def test_failed_send_keeps_changes_pending_and_the_next_run_sends_them(
    ctgov, make_config, db_url, smtp
):
    closed = free_port()  # nothing listens there: the connection is refused
    broken = smtp.alerts_config().replace(f"port = {smtp.port}", f"port = {closed}")
    cfg = load_config(_config(make_config, broken))
    _baseline(ctgov, cfg)
    result = _refresh_with(ctgov, cfg, terminated(), study("NCT00763412"))
    assert result.changes == 3  # the refresh itself succeeded and kept its changes
    warning = [n for n in result.notes if n.startswith("WARNING alerts")]
    assert len(warning) == 1 and f"127.0.0.1:{closed}" in warning[0]
    assert "go out with the next run" in warning[0]
    assert not any(sent for _n, _f, sent in _notified(db_url))
    runs = query_rows(db_url, "SELECT outcome FROM refresh_runs ORDER BY id")
    assert runs == [("ok",), ("ok",)]

    fixed = load_config(_config(make_config, smtp.alerts_config()))
    later = _refresh_with(ctgov, fixed, terminated(), study("NCT00763412"))
    assert later.changes == 0  # nothing new, but the pending digest goes out now
    assert len(smtp.received) == 1
    assert smtp.received[0].message["Subject"] == "trialwatch: 2 changes in 1 study, 1 critical"
    assert sorted(f for _n, f, sent in _notified(db_url) if sent) == [
        "overall_status",
        "why_stopped",
    ]
    _refresh_with(ctgov, fixed, terminated(), study("NCT00763412"))
    assert len(smtp.received) == 1  # sent once, never again


def test_starttls_is_required_when_configured_and_never_skipped(ctgov, make_config, db_url, smtp):
    """This server offers no STARTTLS: with starttls = true nothing is sent in the clear."""
    extra = smtp.alerts_config().replace("starttls = false", "starttls = true")
    cfg = load_config(_config(make_config, extra))
    _baseline(ctgov, cfg)
    result = _refresh_with(ctgov, cfg, terminated(), study("NCT00763412"))
    assert smtp.received == []
    assert any("STARTTLS" in n and n.startswith("WARNING alerts") for n in result.notes)
    assert not any(sent for _n, _f, sent in _notified(db_url))


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_with_the_password_from_the_environment(ctgov, make_config, db_url, monkeypatch):
    with running_smtp(password="s3cret") as server:
        extra = server.alerts_config() + 'user = "trialwatch"\npassword_env = "TW_TEST_SMTP_PW"\n'
        cfg = load_config(_config(make_config, extra))
        _baseline(ctgov, cfg)
        monkeypatch.delenv("TW_TEST_SMTP_PW", raising=False)
        missing = _refresh_with(ctgov, cfg, terminated(), study("NCT00763412"))
        assert any("$TW_TEST_SMTP_PW is empty" in n for n in missing.notes)
        assert server.received == [] and server.logins == []
        monkeypatch.setenv("TW_TEST_SMTP_PW", "s3cret")
        _refresh_with(ctgov, cfg, terminated(), study("NCT00763412"))
        assert server.logins == [("trialwatch", "s3cret")]
        assert len(server.received) == 1


def test_a_bug_in_alerts_never_fails_the_refresh(ctgov, make_config, db_url, smtp, monkeypatch):
    cfg = load_config(_config(make_config, smtp.alerts_config()))
    _baseline(ctgov, cfg)

    def broken(*_args, **_kwargs):
        raise RuntimeError("template exploded")

    monkeypatch.setattr("trialwatch.alerts.delivery.build_digest", broken)
    monkeypatch.setattr("trialwatch.alerts.delivery.render_feed", broken)
    result = _refresh_with(ctgov, cfg, terminated(), study("NCT00763412"))
    assert result.changes == 3
    assert sum("template exploded" in n for n in result.notes) == 2  # feed and e-mail
    assert smtp.received == []
    assert not any(sent for _n, _f, sent in _notified(db_url))
