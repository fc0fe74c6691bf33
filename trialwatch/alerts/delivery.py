"""Change alerts after a refresh: the Atom feed and the e-mail digest.

A change counts as notified once a digest containing it was accepted by the mail server; only
then is `notified_at` set, in a transaction of its own. A failed send leaves the changes
pending, and the next run (or `trialwatch alerts`) sends them. The feed needs no such record:
it is rebuilt from the change log every time it is written.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from trialwatch.alerts.digest import build_digest, counted, study_count
from trialwatch.alerts.feed import FEED_FILE, render_feed, write_atomic
from trialwatch.alerts.health import health_message
from trialwatch.alerts.outbox import (
    mark_notified,
    notices_for,
    recent_notices,
    unnotified,
)
from trialwatch.config import Config, EmailConfig
from trialwatch.errors import AlertError, unexpected
from trialwatch.store.models import utcnow
from trialwatch.store.runlog import (
    mark_health_notified,
    pending_health_alerts,
    recent_health_alerts,
    sync_health_alerts,
)

log = logging.getLogger(__name__)


@dataclass
class AlertOutcome:
    feed_path: Path | None = None  # the feed, when it is enabled and up to date
    feed_entries: int = 0
    feed_written: bool = False  # False: the file on disk already read the same
    emailed_changes: int = 0
    notes: list[str] = field(default_factory=list)
    failed: bool = False


def deliver(config: Config, sessions: sessionmaker[Session]) -> AlertOutcome:
    """Write the feed and send pending changes by e-mail. Never raises: failures become notes."""
    outcome = AlertOutcome()
    try:
        with sessions.begin() as session:
            sync_health_alerts(session, config.alerts.failures_before_alert)
    except Exception as exc:  # the health check must not fail the refresh either
        log.exception("checking the refresh-failure streak failed")
        outcome.failed = True
        outcome.notes.append(f"WARNING alerts: could not check for failing refreshes: {exc}")
    if config.alerts.feed:
        try:
            _feed(config, sessions, outcome)
        except Exception as exc:  # a full disk or a bug must not fail the refresh
            log.debug("writing the change feed failed", exc_info=True)  # the note says it
            outcome.failed = True
            outcome.notes.append(f"WARNING alerts: could not write the feed: {unexpected(exc)}")
    if config.alerts.email is not None:
        try:
            _email(config, config.alerts.email, sessions, outcome)
        except Exception as exc:
            log.debug("sending the change digest failed", exc_info=True)  # the note says it
            outcome.failed = True
            outcome.notes.append(
                f"WARNING alerts: the e-mail digest was not sent ({unexpected(exc)}); "
                "the changes stay pending and go out with the next run"
            )
    return outcome


def _feed(config: Config, sessions: sessionmaker[Session], outcome: AlertOutcome) -> None:
    """Rebuild the feed from the change log; write it only if it would read differently.

    Comparing with the file on disk (not only asking whether this run found something) also
    picks up a new `report_url` or threshold, and repairs a feed that a report render running
    at the same moment carried over in its older state.
    """
    alerts, path = config.alerts, config.report_dir / FEED_FILE
    with sessions() as session:
        notices = recent_notices(session, config)
        health = recent_health_alerts(session, alerts.feed_entries)
    outcome.feed_path, outcome.feed_entries = path, len(notices) + len(health)
    if not notices and not health and path.exists():
        return  # an empty feed is dated when written; rewriting it would only move that date
    xml = render_feed(
        notices,
        report_dir=config.report_dir,
        title=config.report.title,
        min_severity=alerts.min_severity,
        now=utcnow(),
        report_url=alerts.report_url,
        health=health,
    )
    if path.exists() and path.read_text(encoding="utf-8") == xml:
        return
    write_atomic(path, xml)
    outcome.feed_written = True
    log.info("wrote %s (%d entries)", path, len(notices))


def _email(
    config: Config, email: EmailConfig, sessions: sessionmaker[Session], outcome: AlertOutcome
) -> None:
    _email_health(config, email, sessions, outcome)
    threshold = config.alerts.email_min_severity
    with sessions() as session:
        notices = notices_for(session, config, unnotified(session, threshold))
    if not notices:
        return  # nothing changed: no e-mail
    message = build_digest(
        notices,
        email,
        title=config.report.title,
        min_severity=threshold,
        now=utcnow(),
        report_url=config.alerts.report_url,
    )
    send_message(email, message)
    ids = [c.id for n in notices for c in n.changes if c.id is not None]
    with sessions.begin() as session:  # only now: a failed send above leaves them pending
        mark_notified(session, ids, utcnow())
    outcome.emailed_changes = len(ids)
    outcome.notes.append(
        f"alerts: e-mailed a digest of {counted(len(ids), 'change')} in "
        f"{counted(study_count(notices), 'study')} to {counted(len(email.to), 'recipient')}"
    )


def _email_health(
    config: Config, email: EmailConfig, sessions: sessionmaker[Session], outcome: AlertOutcome
) -> None:
    """One message per failing or recovered alert, marked sent only once the server took it."""
    with sessions() as session:
        pending = [(a.id, health_message(a, email, config)) for a in pending_health_alerts(session)]
    for alert_id, message in pending:
        send_message(email, message)
        with sessions.begin() as session:
            mark_health_notified(session, [alert_id], utcnow())
        outcome.notes.append(f"alerts: e-mailed {message['Subject']}")


def send_message(email: EmailConfig, message: EmailMessage) -> None:
    """Hand `message` to the configured SMTP server; AlertError says why it could not."""
    password = ""
    if email.user:
        password = os.environ.get(email.password_env, "")
        if not password:
            raise AlertError(
                f"[alerts.email] user is set but ${email.password_env} is empty; "
                "set that environment variable to the SMTP password"
            )
    where = f"{email.host}:{email.port}"
    try:
        with smtplib.SMTP(email.host, email.port, timeout=email.timeout) as smtp:
            if email.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if email.user:
                smtp.login(email.user, password)
            refused = smtp.send_message(message)
    except smtplib.SMTPNotSupportedError as exc:
        raise AlertError(
            f"the mail server {where} does not support this ({exc}); for a server without "
            "STARTTLS set starttls = false in [alerts.email]"
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise AlertError(
            f"could not send e-mail through {where}: {exc or type(exc).__name__}"
        ) from None
    if refused:  # some, not all, recipients refused: the others have it, so it counts as sent
        log.warning("the mail server refused some recipients: %s", ", ".join(sorted(refused)))
