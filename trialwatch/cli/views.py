"""Plain-text views of what the lookups return, for a person at a terminal (pure: str out).

`show`, `history` and `status` are reports for people: their tables stay aligned even in a pipe
(use --json for scripts). `changes` and `search` are plain tables: tab-separated when piped.

Registry values are printed verbatim: `2019-09` stays `2019-09`, "NA" stays "NA".
"""

from __future__ import annotations

from typing import Any

from trialwatch.cli.change_views import (
    CHANGE_COLUMNS,
    SEARCH_CHANGE_COLUMNS,
    VERSION_CHANGE_COLUMNS,
    change_row,
    change_table,
    flags_text,
)
from trialwatch.cli.output import cell, fields, section, table
from trialwatch.domain.change import LoggedChange

SEARCH_COLUMNS = (
    ("nct_id", "NCT ID"),
    ("overall_status", "Status"),
    ("phases", "Phases"),
    ("enrollment", "Enrolled"),
    ("start_date", "Start"),
    ("has_results", "Results"),
    ("brief_title", "Title"),
)


def _dated(value: str | None, kind: str | None) -> str:
    return f"{value} ({kind})" if value and kind else (value or "")


def study_text(d: dict[str, Any]) -> str:
    parts = [f"{d['nct_id']}  {d['brief_title'] or ''}".rstrip() + "\n" + d["url"]]
    if d["note"]:
        parts.append(f"Note: {d['note']}")
    parts.append(fields(_study_fields(d)))
    if d["parse_problems"]:  # an odd record is stored as received; say what could not be read
        problems = "\n".join(f"  - {cell(p)}" for p in d["parse_problems"])
        parts.append(f"Could not read from this version of the record:\n{problems}")
    if d["scope"] != "full":
        parts.append("Only search summary fields are stored; `show --live` fetches the record.")
    if d["primary_outcomes"]:
        parts.append(f"Primary outcomes ({len(d['primary_outcomes'])}):")
        parts += [outcome_text(i, o) for i, o in enumerate(d["primary_outcomes"], 1)]
    if d.get("trust"):
        parts.append(trust_text(d["trust"]))
    if d.get("people"):
        parts.append(people_text(d["people"]))
    parts += flags_text(d["flags"])
    if d["latest_changes"]:
        parts.append("Latest changes:")
        parts.append(_indent(change_table(d["latest_changes"], CHANGE_COLUMNS[:-1], tty=True)))
    return "\n\n".join(parts)


def _study_fields(d: dict[str, Any]) -> list[tuple[str, Any]]:
    """The labelled facts of `show`, as stored (dates keep their type: ACTUAL / ESTIMATED)."""
    results = "no"
    if d["has_results"]:
        posted = d["results_first_posted"]
        results = f"yes, first posted {posted}" if posted else "yes"
    version = d["version"] or "unknown"
    if d["stored_version_no"]:
        scope = "full record" if d["scope"] == "full" else "search summary fields only"
        version += f" (stored version {d['stored_version_no']}, {scope})"
    enrollment = d["enrollment"]
    if enrollment is not None and d["enrollment_type"]:
        enrollment = f"{enrollment} ({d['enrollment_type']})"
    return [
        ("Official title", d["official_title"]),
        ("Acronym", d["acronym"]),
        ("Status", d["overall_status"]),
        ("Why stopped", d["why_stopped"]),
        ("Phases", d["phases"]),
        ("Study type", d["study_type"]),
        ("Enrollment", enrollment),
        ("Lead sponsor", d["lead_sponsor"]),
        ("Conditions", d["conditions"]),
        ("Interventions", d["interventions"]),
        ("Start", _dated(d["start_date"], d["start_date_type"])),
        (
            "Primary completion",
            _dated(d["primary_completion_date"], d["primary_completion_date_type"]),
        ),
        ("Completion", _dated(d["completion_date"], d["completion_date_type"])),
        ("First posted", d["first_posted"]),
        ("Results posted", results),
        ("Last update posted", d["last_update_posted"]),
        ("Record version", version),
        ("Last checked (UTC)", d["last_checked"]),
        ("In searches", d["searches"]),
    ]


def _value(m: dict[str, Any]) -> str:
    """A measurement as registered: value, then spread or limits, then comment."""
    text = m.get("value") or ""
    if m.get("spread"):
        text += f" ({m['spread']})"
    elif m.get("lower_limit") or m.get("upper_limit"):
        text += f" ({m.get('lower_limit') or '?'} to {m.get('upper_limit') or '?'})"
    if m.get("comment"):
        text += f" [{m['comment']}]"
    return text


def outcome_text(number: int, o: dict[str, Any]) -> str:
    lines = [f"  {number}. {cell(o.get('title'))}"]
    for label, key in (("Time frame", "time_frame"), ("Unit", "unit")):
        if o.get(key):
            lines.append(f"     {label}: {cell(o[key])}")
    measure = ", ".join(x for x in (o.get("param_type"), o.get("dispersion_type")) if x)
    if measure:
        lines.append(f"     Measure: {measure}")
    groups = {g["id"]: g.get("title") or g["id"] for g in o.get("groups", [])}
    for denom in o.get("denoms", []):
        counts = "; ".join(
            f"{cell(groups.get(c['group_id'], c['group_id']))} {c.get('value') or '?'}"
            for c in denom.get("counts", [])
        )
        lines.append(f"     Analysed ({denom.get('units') or 'participants'}): {counts}")
    for klass in o.get("class_denoms", []):
        for denom in klass["denoms"]:
            counts = "; ".join(
                f"{cell(groups.get(c['group_id'], c['group_id']))} {c.get('value') or '?'}"
                for c in denom["counts"]
            )
            units = cell(denom.get("units") or "participants")
            lines.append(f"     Analysed in {cell(klass['class_title'])} ({units}): {counts}")
    if not o.get("results_posted", True):
        lines.append("     No results posted (registered outcome).")
    elif not o.get("measurements"):
        lines.append("     No values reported for this outcome.")
    for m in o.get("measurements", []):
        label = " / ".join(x for x in (m.get("class_title"), m.get("category_title")) if x)
        arm = cell(groups.get(m["group_id"], m["group_id"]))
        lines.append(f"     {arm}{' – ' + label if label else ''}: {_value(m)}")
    lines += _finding_lines(o)
    return "\n".join(lines)


def _finding_lines(o: dict[str, Any]) -> list[str]:
    """What the registered analyses found, in the report's plain words (one line each)."""
    found = o.get("findings") or {}
    lines = []
    for f in found.get("findings", []):
        check = f.get("no_effect")
        lines.append(f"     Found: {cell(f['line'])}")
        lines.append(f"       {cell(check['text'] if check else f['no_effect_note'])}")
        lines += [f"       {label} (registry): {cell(text)}" for label, text in f["comments"]]
    if found and not found.get("findings") and o.get("measurements"):
        lines.append(f"     {cell(found.get('note'))}")
    return lines


def trust_text(trust: dict[str, Any]) -> str:
    """The trust panel: registry facts; '[weigh this]' marks one to weigh, never a verdict."""
    pairs = [
        (i["label"], i["value"] + (" [weigh this]" if i["flag"] else "")) for i in trust["items"]
    ]
    if trust["limitations"]:
        pairs.append(("Limitations", trust["limitations"]))
    lines = ["How far to trust it:", _indent(fields(pairs))]
    if trust["attrition"]:
        lines.append("  Participant flow (period / arm):")
    for r in trust["attrition"]:
        comments = f" ({cell('; '.join(r['comments']))})" if r["comments"] else ""
        lines.append(
            f"    {cell(r['period'] or 'Period')} / {cell(r['arm'])}: started "
            f"{cell(r['started']) or 'not reported'}, completed "
            f"{cell(r['completed']) or 'not reported'}{comments}"
        )
    return "\n".join(lines)


def people_text(people: dict[str, Any]) -> str:
    ages = f"{people['minimum_age'] or 'no minimum'} to {people['maximum_age'] or 'no maximum'}"
    volunteers = people["healthy_volunteers"]
    pairs = [
        ("Ages", ages),
        ("Sex", people["sex"]),
        ("Healthy volunteers", "not given" if volunteers is None else volunteers),
        ("Study population", people["study_population"]),
        ("In brief", people["brief_summary"]),
    ]
    return "Who was in it:\n" + _indent(fields(pairs))


def _indent(text: str, by: str = "  ") -> str:
    return "\n".join(by + line for line in text.splitlines())


def history_text(h: dict[str, Any]) -> str:
    parts = [f"{h['nct_id']}: {len(h['versions'])} version(s) stored"]
    if h["note"]:
        parts.append(f"Note: {h['note']}")
    for v in h["versions"]:
        head = (
            f"Version {v['version_no']}  observed {v['observed_date']}, {_origin(v)}; "
            f"record version {v['version'] or 'unknown'}, "
            f"last update posted {v['last_update_posted'] or 'unknown'}, {v['scope']} record; "
            f"stored {cell(v['first_seen'])} to {cell(v['last_seen'])} UTC"
        )
        if v["version_no"] == 1:
            body = "first version seen"
        elif v["derived_only"]:
            body = "only the registry's derived metadata changed (no change to the study)"
        elif v["changes"]:
            body = change_table(v["changes"], VERSION_CHANGE_COLUMNS, tty=True)
        else:
            body = "no field-level change recorded (different stored fields)"
        parts.append(head + "\n" + _indent(body))
    if h["search_changes"]:
        rows = [change_row(c) for c in h["search_changes"]]
        parts.append(section("Search membership", rows, SEARCH_CHANGE_COLUMNS))
    return "\n\n".join(parts)


def _origin(v: dict[str, Any]) -> str:
    """Where a version came from: `api v2-json`, `history v2-json (registry version 3)`,
    `import classic-xml from <file>`."""
    text = f"{v['source']} {v['format']}"
    if v.get("registry_version") is not None:
        text += f" (registry version {v['registry_version']})"
    if v.get("source_file"):
        name = "".join(ch if ch.isprintable() else "?" for ch in cell(v["source_file"]))
        text += f" from {name}"  # a file name is untrusted text too
    return text


def changes_text(changes: list[LoggedChange]) -> str:
    return change_table(changes)


def search_text(outcome: dict[str, Any]) -> str:
    return table(outcome["studies"], SEARCH_COLUMNS)
