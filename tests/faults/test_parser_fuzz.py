"""Property-based fuzz of the record parsers over SYNTHETIC mutations of the real fixtures.

Hypothesis damages real records (tests/fixtures/ctgov/studies): keys dropped, nulls, wrong types,
long strings, odd unicode. For `records.parse_study`: it never raises, every field has its type
and fits the store's columns, a field whose source was not touched is parsed exactly as before,
and a field that held a value and lost it to damage (not to a simply absent key) is named in
`problems`. For `trialwatch.domain.results`: it never raises, registered values stay verbatim
strings, and results are untouched when the damage is elsewhere.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from trialwatch.domain import results
from trialwatch.domain.ids import CANONICAL
from trialwatch.domain.records import CODE_LIMITS, CORE_MODULES, StudySummary, parse_study

SOURCES = {
    p.name: p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "studies").glob("*.json"))
}
WITH_RESULTS = [n for n, text in SOURCES.items() if '"resultsSection"' in text]

P, ID, ST, DE, SP = (
    ("protocolSection",),
    ("protocolSection", "identificationModule"),
    ("protocolSection", "statusModule"),
    ("protocolSection", "designModule"),
    ("protocolSection", "sponsorCollaboratorsModule"),
)
# each summary field -> the path of the node it is read from
FIELD_SOURCES: dict[str, tuple[str, ...]] = {
    "nct_id": (*ID, "nctId"),
    "brief_title": (*ID, "briefTitle"),
    "official_title": (*ID, "officialTitle"),
    "acronym": (*ID, "acronym"),
    "aliases": (*ID, "nctIdAliases"),
    "overall_status": (*ST, "overallStatus"),
    "why_stopped": (*ST, "whyStopped"),
    "phases": (*DE, "phases"),
    "study_type": (*DE, "studyType"),
    "enrollment": (*DE, "enrollmentInfo", "count"),
    "enrollment_type": (*DE, "enrollmentInfo", "type"),
    "lead_sponsor": (*SP, "leadSponsor", "name"),
    "lead_sponsor_class": (*SP, "leadSponsor", "class"),
    "collaborators": (*SP, "collaborators"),
    "conditions": (*P, "conditionsModule", "conditions"),
    "interventions": (*P, "armsInterventionsModule", "interventions"),
    "start_date": (*ST, "startDateStruct", "date"),
    "start_date_type": (*ST, "startDateStruct", "type"),
    "primary_completion_date": (*ST, "primaryCompletionDateStruct", "date"),
    "primary_completion_date_type": (*ST, "primaryCompletionDateStruct", "type"),
    "completion_date": (*ST, "completionDateStruct", "date"),
    "completion_date_type": (*ST, "completionDateStruct", "type"),
    "first_posted": (*ST, "studyFirstPostDateStruct", "date"),
    "results_first_posted": (*ST, "resultsFirstPostDateStruct", "date"),
    "last_update_posted": (*ST, "lastUpdatePostDateStruct", "date"),
    "has_results": ("hasResults",),
    "version_holder": ("derivedSection", "miscInfoModule", "versionHolder"),
}
TARGETS = sorted({path[:i] for path in FIELD_SOURCES.values() for i in range(1, len(path) + 1)})
RESULT_TARGETS = [
    ("resultsSection",),
    ("resultsSection", "outcomeMeasuresModule", "outcomeMeasures"),
    ("resultsSection", "participantFlowModule", "periods"),
    ("resultsSection", "adverseEventsModule", "seriousEvents"),
    ("resultsSection", "adverseEventsModule", "eventGroups"),
]
MISSING = object()

odd_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=40
) | st.sampled_from(["\u202eRLO\u202c", "\u0000", "e\u0301", "🧪" * 50, "ﷺ", ""])
wrong_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=True, allow_infinity=True),
    odd_text,
    st.lists(st.integers() | odd_text, max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers() | st.none(), max_size=3),
)


def node_at(record: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(record, dict) or key not in record:
            return MISSING
        record = record[key]
    return record


class Damaged:
    """A real record and its damaged copy; shown by what was done, not by 100 KB of JSON."""

    def __init__(self, name: str, original: Any, record: Any, done: list[str]) -> None:
        self.name, self.original, self.record, self.done = name, original, record, done

    def __repr__(self) -> str:
        return f"Damaged({self.name}: {'; '.join(self.done)})"


@st.composite
def mutated(draw: st.DrawFn, names: list[str], targets: list[tuple[str, ...]]) -> Damaged:
    """A real record and a damaged copy: each damage at a known path or a random descendant."""
    name = draw(st.sampled_from(names))
    original, record = json.loads(SOURCES[name]), json.loads(SOURCES[name])
    done: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        parent, key, where = None, None, []
        node: Any = record
        path = list(draw(st.sampled_from(targets)))
        while path or (isinstance(node, dict | list) and node and draw(st.booleans())):
            if path:
                step: Any = path.pop(0)
                if not isinstance(node, dict) or step not in node:
                    break
            elif isinstance(node, dict):
                step = draw(st.sampled_from(sorted(node)))
            else:
                step = draw(st.integers(0, len(node) - 1))
            parent, key, node = node, step, node[step]
            where.append(str(step))
        if parent is None:
            continue
        how = draw(st.sampled_from(["drop", "null", "wrong", "long", "unicode"]))
        if how == "drop":
            del parent[key]
        elif how == "null":
            parent[key] = None
        elif how == "wrong":
            parent[key] = draw(wrong_value)
        elif how == "long":
            parent[key] = "x" * draw(st.integers(41, 200_000))
        else:
            parent[key] = draw(odd_text)
        shown = repr(parent[key])[:60] if how != "drop" else ""
        done.append(f"{how} {'.'.join(where)} {shown}".rstrip())
    return Damaged(name, original, record, done)


def _empty(value: Any) -> bool:
    return value is None or value == ()


def _check_types(summary: StudySummary) -> None:
    for f in dataclasses.fields(summary):
        value = getattr(summary, f.name)
        if isinstance(value, tuple):
            assert all(isinstance(v, str) for v in value), f.name
        else:
            assert value is None or isinstance(value, str | int | bool), f.name
    assert summary.nct_id == "" or CANONICAL.match(summary.nct_id)
    for name in ("overall_status", "study_type", "lead_sponsor_class"):
        assert len(getattr(summary, name) or "") <= CODE_LIMITS["code"], name
    for name in ("enrollment_type", "start_date_type", "completion_date_type"):
        assert len(getattr(summary, name) or "") <= CODE_LIMITS["type"], name
    for name in ("start_date", "completion_date", "last_update_posted", "version_holder"):
        assert len(getattr(summary, name) or "") <= 10, name
    assert all(isinstance(p, str) and p for p in summary.problems)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(list(SOURCES), TARGETS))
def test_parse_study_never_raises_and_names_what_it_could_not_parse(damaged: Damaged):
    original, record = damaged.original, damaged.record
    before, after = parse_study(original), parse_study(record)
    _check_types(after)
    problems = " | ".join(after.problems)
    for name, path in FIELD_SOURCES.items():
        was, now = getattr(before, name), getattr(after, name)
        source, untouched = node_at(record, path), node_at(original, path)
        # type-strict: 0 == False in Python, but a 0 where the registry sends false is damage
        same = type(source) is type(untouched) and source == untouched
        if same and all(node_at(record, path[:i]) is not None for i in range(1, len(path))):
            assert now == was, f"{name} changed though its source did not"
            continue
        if _empty(was) or not _empty(now) or source in ([], {}, ""):
            continue  # nothing lost, or the registry's own value is empty
        # a value was there and is gone: either its key is simply absent, or a problem names it
        gone = next(
            (i for i in range(1, len(path) + 1) if node_at(record, path[:i]) in (MISSING, None)),
            None,
        )
        absent = (
            gone is not None
            and node_at(record, path[:gone]) is MISSING
            and not (gone == 2 and path[0] == "protocolSection" and path[1] in CORE_MODULES)
        )
        named = any(key in problems for key in path) or "enrollment" in problems
        assert absent or named, f"{name}: lost {was!r} silently; problems: {problems!r}"


def _verbatim(value: Any) -> None:
    """Registered values and titles stay text (or None): never coerced to numbers."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("value", "spread", "lower_limit", "upper_limit", "title", "p_value"):
                assert item is None or isinstance(item, str), (key, item)
            _verbatim(item)
    elif isinstance(value, list):
        for item in value:
            _verbatim(item)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(WITH_RESULTS, RESULT_TARGETS + TARGETS[:3]))
def test_results_parsers_never_raise_and_keep_values_verbatim(damaged: Damaged):
    original, record = damaged.original, damaged.record
    outcomes = results.parse_outcomes(record)
    flow = results.parse_participant_flow(record)
    events = results.parse_adverse_events(record)
    parsed = {
        "outcomes": [o.as_dict() for o in outcomes],
        "flow": flow.as_dict() if flow else None,
        "events": events.as_dict() if events else None,
    }
    json.dumps(parsed)  # plain data, ready for a template or an export
    _verbatim(parsed)
    if node_at(record, ("resultsSection",)) == node_at(original, ("resultsSection",)):
        assert outcomes == results.parse_outcomes(original)
        assert flow == results.parse_participant_flow(original)
        assert events == results.parse_adverse_events(original)
