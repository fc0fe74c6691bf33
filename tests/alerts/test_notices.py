"""Pure pieces of alerts: grouping changes into notices, ids, thresholds, the digest's shape.

The change values here are hand-written LoggedChanges (not registry records): they exercise the
grouping and formatting rules only.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from trialwatch.alerts.digest import MAX_STUDIES, build_digest, digest_subject
from trialwatch.alerts.notices import (
    at_or_above,
    atom_time,
    feed_namespace,
    group_changes,
    notice_id,
    shorten,
)
from trialwatch.config import EmailConfig
from trialwatch.domain.change import LoggedChange
from trialwatch.domain.text import clean_text

T0 = datetime(2026, 11, 25, 13, 0, 5, 123456, tzinfo=UTC)
EMAIL = EmailConfig(host="127.0.0.1", sender="tw@clinic.example", to=("a@clinic.example",))


def item(id_: int, nct: str, field: str, severity: str, run: int | None, at: datetime = T0):
    return LoggedChange(field, "A", "B", severity, nct_id=nct, id=id_, detected_at=at, run_id=run)


def test_thresholds_include_everything_more_severe():
    assert at_or_above("critical") == ["critical"]
    assert at_or_above("notable") == ["critical", "notable"]
    assert at_or_above("minor") == ["critical", "notable", "minor"]


def test_one_notice_per_study_per_run_newest_first():
    later = T0 + timedelta(days=1)
    notices = group_changes(
        [
            item(1, "NCT02552212", "overall_status", "critical", 1),
            item(2, "NCT00763412", "enrollment", "notable", 1),
            item(3, "NCT02552212", "why_stopped", "notable", 1),
            item(4, "NCT02552212", "completion_date", "notable", 2, later),
            item(5, "NCT02552212", "enrollment", "notable", None, later + timedelta(hours=1)),
        ],
        {"NCT02552212": "A title"},
        {"NCT02552212": "study-NCT02552212.html"},
    )
    assert [(n.nct_id, n.run_id, [c.id for c in n.changes]) for n in notices] == [
        ("NCT02552212", None, [5]),  # a live lookup's change: no run, its own notice
        ("NCT02552212", 2, [4]),
        ("NCT02552212", 1, [1, 3]),
        ("NCT00763412", 1, [2]),
    ]
    run1 = notices[2]
    assert run1.severity == "critical"
    # critical changes lead, in a few words (the status "B" here), then what else changed
    assert run1.headline() == "NCT02552212 (critical): b; Why stopped"
    assert run1.report_url("") == "study-NCT02552212.html"
    assert run1.report_url("https://x.example/tw/") == "https://x.example/tw/study-NCT02552212.html"
    assert notices[3].report_url("") == "index.html" and notices[3].title is None


def test_entry_ids_are_stable_and_distinct():
    ns = feed_namespace(Path("/srv/reports"))
    assert ns == feed_namespace(Path("/srv/reports"))
    assert ns != feed_namespace(Path("/srv/other-reports"))
    a = group_changes([item(1, "NCT02552212", "overall_status", "critical", 1)], {})[0]
    same_run_more = group_changes(
        [
            item(1, "NCT02552212", "overall_status", "critical", 1),
            item(2, "NCT02552212", "x", "minor", 1),
        ],
        {},
    )[0]
    rebuilt_db = group_changes(
        [item(1, "NCT02552212", "overall_status", "critical", 1, T0 + timedelta(seconds=1))], {}
    )[0]
    assert notice_id(ns, a) == notice_id(ns, same_run_more)  # a new threshold updates, not adds
    assert notice_id(ns, a) != notice_id(ns, rebuilt_db)  # run 1 of a new database is new
    assert uuid.UUID(notice_id(ns, a).removeprefix("urn:uuid:")).version == 5


def test_text_helpers():
    assert clean_text("a\x00b\x0bc\td\ne\x1b") == "abc\td\ne"
    assert shorten(None) == "(none)"
    assert len(shorten("x" * 1000)) == 300 and shorten("x" * 1000).endswith("…")
    assert atom_time(T0) == "2026-11-25T13:00:05Z"


def test_subject_counts_changes_studies_and_critical():
    one = group_changes([item(1, "NCT02552212", "enrollment", "notable", 1)], {})
    assert digest_subject(one) == "trialwatch: 1 change in 1 study"
    two = group_changes(
        [
            item(1, "NCT02552212", "overall_status", "critical", 1),
            item(2, "NCT00763412", "x", "notable", 1),
        ],
        {},
    )
    assert digest_subject(two) == "trialwatch: 2 changes in 2 studies, 1 critical"


def test_a_study_changed_in_two_runs_counts_once():
    """Two runs' changes to one study pending together (a send failed in between): one study."""
    pending = group_changes(
        [
            item(1, "NCT02552212", "enrollment", "notable", 1),
            item(2, "NCT02552212", "x", "notable", 2),
        ],
        {},
    )
    assert len(pending) == 2  # one notice per study per run
    assert digest_subject(pending) == "trialwatch: 2 changes in 1 study"


def test_a_long_digest_lists_the_first_studies_and_counts_the_rest():
    changes = [item(i, f"NCT{i:08d}", "overall_status", "notable", 1) for i in range(1, 61)]
    notices = group_changes(changes, {})
    message = build_digest(notices, EMAIL, title="Evidence", min_severity="notable", now=T0)
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert plain.count("ClinicalTrials.gov: https://clinicaltrials.gov/study/") == MAX_STUDIES
    assert "10 more studies changed; the report lists every change." in plain
    assert "10 more studies changed" in html
    assert message["Subject"] == "trialwatch: 60 changes in 60 studies"
    assert message["Auto-Submitted"] == "auto-generated"
