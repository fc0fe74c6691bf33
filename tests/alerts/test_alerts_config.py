"""The [alerts] and [alerts.email] tables: typed, validated, every error naming its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from trialwatch.config import AlertsConfig, EmailConfig, parse_config
from trialwatch.errors import ConfigError

WHERE = Path("/clinic/config.toml")
EMAIL = {"host": "smtp.example.org", "sender": "trialwatch@example.org", "to": ["a@example.org"]}


def _alerts(table: dict) -> AlertsConfig:
    return parse_config({"alerts": table}, WHERE).alerts


def test_defaults_without_an_alerts_table():
    alerts = parse_config({}, WHERE).alerts
    assert alerts == AlertsConfig(min_severity="notable", feed=True, email=None)
    assert alerts.feed_entries == 200


def test_email_table_is_built_with_defaults_and_tuple_of_recipients():
    alerts = _alerts(
        {"min_severity": "critical", "email": dict(EMAIL, to=["a@x.org", "B <b@y.org>"])}
    )
    assert alerts.min_severity == "critical"
    assert alerts.email == EmailConfig(
        host="smtp.example.org",
        sender="trialwatch@example.org",
        to=("a@x.org", "B <b@y.org>"),
        port=587,
        starttls=True,
        user="",
        password_env="TRIALWATCH_SMTP_PASSWORD",
        min_severity=None,
    )


@pytest.mark.parametrize(
    ("table", "key", "problem"),
    [
        ({"min_severity": "urgent"}, "alerts.min_severity", "must be one of critical, notable"),
        ({"feed": "yes"}, "alerts.feed", "expected true or false"),
        ({"feed_entries": 0}, "alerts.feed_entries", "at least 1"),
        ({"report_url": "intranet/tw"}, "alerts.report_url", "http://"),
        ({"colour": "red"}, "alerts.colour", "unknown key"),
        ({"email": "smtp.example.org"}, "alerts.email", "expected a table"),
        ({"email": {"host": "h", "to": ["a@x.org"]}}, "alerts.email.sender", "is required"),
        ({"email": dict(EMAIL, to="a@x.org")}, "alerts.email.to", "expected an array of text"),
        ({"email": dict(EMAIL, to=["a@x.org", 3])}, "alerts.email.to", "expected an array"),
        ({"email": dict(EMAIL, to=[])}, "alerts.email.to", "at least one address"),
        ({"email": dict(EMAIL, to=["not an address"])}, "alerts.email.to[0]", "not an e-mail"),
        ({"email": dict(EMAIL, sender="x\nBcc: evil@x.org")}, "alerts.email.sender", "not an"),
        ({"email": dict(EMAIL, port=0)}, "alerts.email.port", "between 1 and 65535"),
        ({"email": dict(EMAIL, port="587")}, "alerts.email.port", "expected a whole number"),
        ({"email": dict(EMAIL, starttls=1)}, "alerts.email.starttls", "expected true or false"),
        ({"email": dict(EMAIL, min_severity="high")}, "alerts.email.min_severity", "one of"),
        ({"email": dict(EMAIL, min_severity=2)}, "alerts.email.min_severity", "expected text"),
        ({"email": dict(EMAIL, password="hunter2")}, "alerts.email.password", "unknown key"),
        ({"email": dict(EMAIL, host=" ")}, "alerts.email.host", "must not be empty"),
    ],
)
def test_bad_values_name_the_key(table, key, problem):
    with pytest.raises(ConfigError) as info:
        _alerts(table)
    message = str(info.value)
    assert str(WHERE) in message and f"'{key}" in message and problem in message


def test_email_min_severity_overrides_the_alerts_one():
    config = parse_config({"alerts": {"email": dict(EMAIL, min_severity="critical")}}, WHERE)
    assert config.alerts.email_min_severity == "critical"
    config = parse_config({"alerts": {"min_severity": "minor", "email": EMAIL}}, WHERE)
    assert config.alerts.email_min_severity == "minor"
