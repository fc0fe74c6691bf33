"""Alerts about trialwatch itself, in words: a refresh that keeps failing, and its recovery.

The run log decides which alerts exist (`trialwatch.store.runlog`, by the rules of
`trialwatch.domain.health`); this module says them, for the feed and the e-mail.
"""

from __future__ import annotations

from email.message import EmailMessage

from trialwatch.config import Config, EmailConfig
from trialwatch.domain.health import FAILING
from trialwatch.domain.text import clean_text
from trialwatch.store.models import HealthAlert


def headline(alert: HealthAlert) -> str:
    """One line for a feed title or an e-mail subject."""
    since = f"{alert.since:%Y-%m-%d %H:%M} UTC"
    if alert.kind == FAILING:
        return f"trialwatch refresh failing since {since} ({alert.failed_runs} failed runs)"
    return (
        f"trialwatch refresh recovered at {alert.raised_at:%Y-%m-%d %H:%M} UTC "
        f"after {alert.failed_runs} failed runs since {since}"
    )


def body_text(alert: HealthAlert) -> str:
    """The alert in plain text; the error is the run log's own line (registry text possible)."""
    lines = [headline(alert) + "."]
    if alert.last_error:
        lines.append(f"Last error: {clean_text(alert.last_error)}")
    if alert.kind == FAILING:
        lines.append(
            "The report keeps showing the last good data, with a banner saying how old it is. "
            "`trialwatch status` shows the run log; you will get one more message when a run "
            "succeeds again."
        )
    else:
        lines.append("The stored evidence and the report are current again.")
    return "\n\n".join(lines) + "\n"


def health_message(alert: HealthAlert, email: EmailConfig, config: Config) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"[{clean_text(config.report.title)}] {headline(alert)}"
    message["From"] = email.sender
    message["To"] = ", ".join(email.to)
    message.set_content(body_text(alert))
    return message
