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
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from trialwatch.config import Config, EmailConfig
from trialwatch.errors import AlertError
from trialwatch.feed import FEED_FILE, render_feed, write_atomic
from trialwatch.models import Change, Study, utcnow
from trialwatch.notices import ChangeItem, StudyNotice, at_or_above, group_changes
from trialwatch.store import CHUNK

log = logging.getLogger(__name__)


@dataclass
class AlertOutcome:
    feed_path: Path | None = None  # set when the feed was written
    feed_entries: int = 0
    emailed_changes: int = 0
    emailed_studies: int = 0
    notes: list[str] = field(default_factory=list)
    failed: bool = False


def email_threshold(config: Config) -> str:
    email = config.alerts.email
    return (email.min_severity if email else None) or config.alerts.min_severity


def deliver(
    config: Config, sessions: sessionmaker[Session], *, run_id: int | None = None
) -> AlertOutcome:
    """Write the feed and send pending changes by e-mail. Never raises: failures become notes.

    With `run_id` (after a refresh) the feed is rewritten only if that run logged a change at
    or above the threshold, or if there is no feed yet; without it, always.
    """
    outcome = AlertOutcome()
    if config.alerts.feed:
        try:
            _feed(config, sessions, outcome, run_id)
        except Exception as exc:  # a full disk or a bug must not fail the refresh
            log.exception("writing the change feed failed")
            outcome.failed = True
            outcome.notes.append(f"WARNING alerts: could not write the feed: {exc}")
    if config.alerts.email is not None:
        try:
            _email(config, config.alerts.email, sessions, outcome)
        except Exception as exc:
            log.exception("sending the change digest failed")
            outcome.failed = True
            outcome.notes.append(
                f"WARNING alerts: the e-mail digest was not sent ({exc}); "
                "the changes stay pending and go out with the next run"
            )
    return outcome


def _feed(
    config: Config, sessions: sessionmaker[Session], outcome: AlertOutcome, run_id: int | None
) -> None:
    alerts, path = config.alerts, config.report_dir / FEED_FILE
    severities = at_or_above(alerts.min_severity)
    with sessions() as session:
        if run_id is not None and path.exists() and not _run_logged(session, run_id, severities):
            return
        notices = recent_notices(session, alerts.min_severity, alerts.feed_entries)
    xml = render_feed(
        notices,
        report_dir=config.report_dir,
        title=config.report.title,
        min_severity=alerts.min_severity,
        now=utcnow(),
        report_url=alerts.report_url,
    )
    write_atomic(path, xml)
    outcome.feed_path, outcome.feed_entries = path, len(notices)
    log.info("wrote %s (%d entries)", path, len(notices))


def _email(
    config: Config, email: EmailConfig, sessions: sessionmaker[Session], outcome: AlertOutcome
) -> None:
    from trialwatch.digest import build_digest

    threshold = email_threshold(config)
    with sessions() as session:
        notices = group_changes(*_with_titles(session, unnotified(session, threshold)))
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
    ids = [c.id for n in notices for c in n.changes]
    with sessions.begin() as session:  # only now: a failed send above leaves them pending
        mark_notified(session, ids, utcnow())
    outcome.emailed_changes, outcome.emailed_studies = len(ids), len(notices)
    outcome.notes.append(
        f"alerts: e-mailed a digest of {len(ids)} changes in {len(notices)} studies "
        f"to {len(email.to)} recipient(s)"
    )


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


# -- queries -----------------------------------------------------------------------------------
def unnotified(session: Session, min_severity: str) -> list[ChangeItem]:
    """Changes at or above `min_severity` that no e-mail has carried yet, oldest first."""
    rows = session.scalars(
        select(Change)
        .where(Change.notified_at.is_(None), Change.severity.in_(at_or_above(min_severity)))
        .order_by(Change.id)
    )
    return [_item(c) for c in rows]


def recent_notices(session: Session, min_severity: str, limit: int) -> list[StudyNotice]:
    """The newest `limit` notices (study per run) at or above `min_severity`.

    All changes of one run share its detection time, so the newest `limit` distinct times are
    always enough (a live `show --live` fetch logs changes with no run; its time groups them).
    """
    qualifying = Change.severity.in_(at_or_above(min_severity))
    times = list(
        session.scalars(
            select(Change.detected_at).where(qualifying).distinct()
            .order_by(Change.detected_at.desc()).limit(limit)
        )
    )  # fmt: skip
    if not times:
        return []
    rows = session.scalars(select(Change).where(qualifying, Change.detected_at >= min(times)))
    return group_changes(*_with_titles(session, [_item(c) for c in rows]))[:limit]


def mark_notified(session: Session, change_ids: list[int], when: datetime) -> None:
    for start in range(0, len(change_ids), CHUNK):
        chunk = change_ids[start : start + CHUNK]
        session.execute(update(Change).where(Change.id.in_(chunk)).values(notified_at=when))


def _run_logged(session: Session, run_id: int, severities: list[str]) -> bool:
    found = session.scalar(
        select(Change.id)
        .where(Change.refresh_run_id == run_id, Change.severity.in_(severities))
        .limit(1)
    )
    return found is not None


def _with_titles(
    session: Session, items: list[ChangeItem]
) -> tuple[list[ChangeItem], dict[str, str | None]]:
    ids = sorted({c.nct_id for c in items})
    titles: dict[str, str | None] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = session.execute(
            select(Study.nct_id, Study.brief_title).where(Study.nct_id.in_(chunk))
        )
        titles.update((nct, title) for nct, title in rows)
    return items, titles


def _item(change: Change) -> ChangeItem:
    return ChangeItem(
        id=change.id,
        nct_id=change.nct_id,
        field=change.field,
        old_value=change.old_value,
        new_value=change.new_value,
        severity=change.severity,
        detected_at=change.detected_at,
        run_id=change.refresh_run_id,
        search_name=change.search_name,
    )
