"""The health rules over a run log: freshness, and one alert per failure streak and recovery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from trialwatch.domain.health import FAILING, RECOVERED, RunRecord, freshness, streak_events

T0 = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


def runs(*outcomes: str, trigger: str = "schedule") -> list[RunRecord]:
    """One run a day from T0 with the given outcomes; failed runs say which day failed."""
    return [
        RunRecord(
            id=i + 1,
            started_at=T0 + timedelta(days=i),
            outcome=outcome,
            trigger=trigger,
            error=f"Cannot reach the registry (day {i})\ndetail" if outcome == "failed" else None,
            finished_at=T0 + timedelta(days=i, minutes=2),
        )
        for i, outcome in enumerate(outcomes)
    ]


def test_fresh_after_a_recent_success() -> None:
    f = freshness(runs("ok"), T0 + timedelta(hours=5), stale_after_days=3)
    assert not f.stale and f.failed_since == 0 and f.last_error is None
    assert f.age == timedelta(hours=4, minutes=58) and f.age_words() == "4 hours old"


def test_too_old_without_any_failure() -> None:
    f = freshness(runs("ok"), T0 + timedelta(days=3, hours=1), stale_after_days=3)
    assert f.too_old and f.stale and not f.last_scheduled_failed
    assert f.age_words() == "3 days old"


def test_a_failed_scheduled_run_makes_fresh_data_stale_and_counts_failures() -> None:
    log = runs("ok", "failed", "stopped", "failed")
    f = freshness(log, T0 + timedelta(days=3, minutes=5), stale_after_days=30)
    assert not f.too_old and f.last_scheduled_failed and f.stale
    assert f.failed_since == 2  # stopped runs are not failures
    assert f.last_error == "Cannot reach the registry (day 3)"  # first line only
    assert f.last_success_at == T0 + timedelta(minutes=2)  # when the good run finished


def test_a_manual_failure_alone_does_not_raise_the_banner() -> None:
    log = runs("ok") + [
        RunRecord(2, T0 + timedelta(hours=1), "failed", "manual", "typo", T0 + timedelta(hours=1))
    ]
    f = freshness(log, T0 + timedelta(hours=2), stale_after_days=3)
    assert f.failed_since == 1 and not f.last_scheduled_failed and not f.stale


def test_no_success_yet_is_stale() -> None:
    f = freshness(runs("failed"), T0 + timedelta(hours=1), stale_after_days=3)
    assert f.last_success_at is None and f.stale
    assert f.age_words() == "no refresh has succeeded yet"


def test_one_failing_alert_per_streak_at_the_threshold_and_one_recovery() -> None:
    log = runs("ok", "failed", "failed", "failed", "failed", "ok", "ok")
    events = streak_events(log, threshold=2)
    assert [(e.kind, e.run_id, e.failed_runs) for e in events] == [
        (FAILING, 3, 2),  # raised by the second failed run, once
        (RECOVERED, 6, 4),  # the first success after it, with the whole streak's length
    ]
    assert {e.streak_start_run_id for e in events} == {2}
    assert events[0].since == T0 + timedelta(days=1)


def test_a_streak_below_the_threshold_raises_nothing() -> None:
    assert streak_events(runs("failed", "ok", "failed", "ok"), threshold=2) == []


def test_a_stopped_run_neither_extends_nor_ends_a_streak() -> None:
    events = streak_events(runs("failed", "stopped", "failed", "ok"), threshold=2)
    assert [(e.kind, e.failed_runs) for e in events] == [(FAILING, 2), (RECOVERED, 2)]


def test_two_streaks_are_two_alerts() -> None:
    events = streak_events(runs("failed", "failed", "ok", "failed", "failed"), threshold=2)
    assert [(e.kind, e.streak_start_run_id) for e in events] == [
        (FAILING, 1),
        (RECOVERED, 1),
        (FAILING, 4),
    ]
