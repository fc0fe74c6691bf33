"""The plain-text view of `trialwatch status`: a report for people, aligned even when piped."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from trialwatch.cli.output import cell, fields, section

RUN_COLUMNS = (
    ("id", "Run"), ("started_at", "Started (UTC)"), ("outcome", "Outcome"), ("kind", "Kind"),
    ("trigger", "Trigger"), ("studies_fetched", "Fetched"), ("new_versions", "New versions"),
    ("changes", "Changes"), ("error", "Error"),
)  # fmt: skip
CITED_COLUMNS = (
    ("nct_id", "NCT ID"), ("stored", "Stored"), ("overall_status", "Status"),
    ("version", "Record version"), ("cited_as", "Cited as"),
)  # fmt: skip
SEARCH_STATE_COLUMNS = (
    ("name", "Search"), ("studies", "Studies"), ("total_count", "Registry count"),
    ("capped", "Capped"), ("last_success_at", "Last success (UTC)"),
)  # fmt: skip


def status_text(s: dict[str, Any]) -> str:
    db = s["database"]
    database = db["path"] or db["url"]
    if db["size_bytes"] is not None:
        database += f" ({db['size_bytes'] / 1024 / 1024:.1f} MiB)"
    if not db["exists"]:
        database += " (not created yet: run `trialwatch refresh`)"
    report = s["last_report"] or {}
    last_report = " ".join(
        x for x in (cell(report.get("rendered_at")), report.get("index_html")) if x
    )
    next_run = s["next_run"]
    at = next_run.get("at")
    when = at.strftime("%Y-%m-%d %H:%M %Z").strip() if isinstance(at, datetime) else ""
    if when and next_run.get("cron"):
        when += f" (schedule {next_run['cron']}, {next_run.get('timezone')})"
    summary = fields(
        [
            ("Config", s["config"]),
            ("Database", database),
            ("Stored", f"{s['stored']['studies']} studies, {s['stored']['versions']} versions"),
            ("Last report", last_report or "none yet"),
            ("Next refresh", when or next_run.get("note")),
        ]
    )
    runs = [dict(r, error=(r["error"] or "").split("\n")[0]) for r in s["runs"]]
    cited = [dict(c, stored="yes" if c["stored"] else "not yet") for c in s["cited"]]
    return "\n\n".join(
        [
            summary,
            section("Recent refresh runs", runs, RUN_COLUMNS),
            section("Cited studies", cited, CITED_COLUMNS),
            section("Related searches", s["searches"], SEARCH_STATE_COLUMNS),
        ]
    )
