"""Pure: the e-mail digest of changes (plain text with an HTML alternative) and the test message.

Subjects and headers carry only counts and configured addresses, never registry text; the HTML
part comes from an autoescaped template.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from trialwatch import __version__
from trialwatch.alerts.notices import StudyNotice
from trialwatch.config import EmailConfig
from trialwatch.domain.change_words import change_sentence
from trialwatch.domain.text import clean_text
from trialwatch.report.templating import environment

MAX_STUDIES = 50  # a digest lists this many studies; a longer one points to the report


def counted(n: int, noun: str) -> str:
    """`1 study`, `3 studies`, `2 changes`."""
    if n == 1:
        return f"1 {noun}"
    return f"{n} {noun[:-1] + 'ies' if noun.endswith('y') else noun + 's'}"


def study_count(notices: Sequence[StudyNotice]) -> int:
    """Distinct studies: a study changed in two runs before a digest went out has two notices."""
    return len({n.nct_id for n in notices})


def digest_subject(notices: Sequence[StudyNotice]) -> str:
    changes = sum(len(n.changes) for n in notices)
    critical = sum(1 for n in notices for c in n.changes if c.severity == "critical")
    text = f"trialwatch: {counted(changes, 'change')} in {counted(study_count(notices), 'study')}"
    return f"{text}, {critical} critical" if critical else text


def build_digest(
    notices: Sequence[StudyNotice],
    email: EmailConfig,
    *,
    title: str,
    min_severity: str,
    now: datetime,
    report_url: str = "",
) -> EmailMessage:
    """One message for every notice given (newest first); the first MAX_STUDIES are listed."""
    subject = digest_subject(notices)
    shown = list(notices[:MAX_STUDIES])
    more = study_count(notices) - study_count(shown)  # studies with no notice listed
    summary = subject.removeprefix("trialwatch: ") + " since the last alert."
    message = _message(email, subject, now)
    message.set_content(_plain(shown, more, summary, title, report_url))
    html = (
        environment()
        .get_template("digest.html.j2")
        .render(
            subject=subject,
            heading=title,
            summary=summary,
            notices=shown,
            more=more,
            report_url=report_url,
            min_severity=min_severity,
            version=__version__,
        )
    )
    message.add_alternative(html, subtype="html")
    return message


def build_test_message(email: EmailConfig, *, now: datetime) -> EmailMessage:
    message = _message(email, "trialwatch: test message", now)
    message.set_content(
        "This is a test message from trialwatch.\n\n"
        "If you can read it, change alerts will reach this address: after each refresh that "
        "finds changes, trialwatch sends one digest.\n"
    )
    return message


def _message(email: EmailConfig, subject: str, now: datetime) -> EmailMessage:
    message = EmailMessage()
    message["From"] = email.sender
    message["To"] = ", ".join(email.to)
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    domain = parseaddr(email.sender)[1].rpartition("@")[2] or "trialwatch.invalid"
    message["Message-ID"] = make_msgid("trialwatch", domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies, please
    return message


def _plain(
    notices: Sequence[StudyNotice], more: int, summary: str, title: str, report_url: str
) -> str:
    lines = [title, "", summary, ""]
    for notice in notices:
        heading = notice.nct_id + (f": {clean_text(notice.title)}" if notice.title else "")
        lines.append(heading)
        lines += [f"  {c.severity:<8}  {change_sentence(c, short=True)}" for c in notice.changes]
        lines.append(f"  ClinicalTrials.gov: {notice.registry_url}")
        if report_url:
            lines.append(f"  Report: {notice.report_url(report_url)}")
        lines.append("")
    if more:
        lines += [f"{more} more {'study' if more == 1 else 'studies'} changed; "
                  "the report lists every change.", ""]  # fmt: skip
    if report_url:
        lines += [f"The evidence report: {report_url}", ""]
    lines.append(f"-- \nSent by trialwatch {__version__}.")
    return "\n".join(lines) + "\n"
