"""Format is never a change: the same content as classic XML, API v2 markdown and the history
endpoint's escaped HTML diffs as nothing, and a real edit in any of them is still found."""

from __future__ import annotations

import copy
import html
import json
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CLASSIC_FILES, classic_xml, study
from trialwatch.domain.changes import diff_records
from trialwatch.domain.classic import read_classic_xml
from trialwatch.domain.normalize import normalize_record, normalize_text

HISTORY = Path(__file__).parents[1] / "fixtures" / "history" / "NCT04280705__history-v0.json"


def _history_study() -> dict[str, Any]:
    """The real body of the registry's history endpoint for NCT04280705 version 0."""
    return json.loads(HISTORY.read_text(encoding="utf-8"))["study"]


def _map_strings(value: Any, fn) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_map_strings(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: _map_strings(v, fn) for k, v in value.items()}
    return value


def _as_history_html(record: dict[str, Any]) -> dict[str, Any]:
    """SYNTHETIC: a record as the history endpoint serves text (entity-escaped, `/` as `&#x2F;`,
    eligibility as `<p>`/`<ul><li>` HTML)."""
    out = _map_strings(copy.deepcopy(record), lambda s: html.escape(s).replace("/", "&#x2F;"))
    module = out["protocolSection"].get("eligibilityModule", {})
    if "eligibilityCriteria" in module:
        lines = module["eligibilityCriteria"].split("\n")
        module["eligibilityCriteria"] = "".join(
            f"<ul><li>{line[2:]}</li></ul>" if line.startswith("- ") else f"<p>{line}</p>"
            for line in lines
            if line.strip()
        )
    return out


def _as_v2_markdown(record: dict[str, Any]) -> dict[str, Any]:
    """SYNTHETIC: a record's text as API v2 writes markdown (`* ` lists, `\\>` escapes)."""

    def markdown(text: str) -> str:
        text = re.sub(r"([<>\[\]])", r"\\\1", text)
        return re.sub(r"(?m)^- ", "* ", text)

    return _map_strings(copy.deepcopy(record), markdown)


def _rewrapped_xml(data: bytes) -> bytes:
    """SYNTHETIC: the same classic document re-indented and its text blocks wrapped at another
    width, as a different bulk snapshot lays out the same content."""
    root = ET.fromstring(data)
    for block in root.iter("textblock"):
        paragraphs = [p for p in (block.text or "").split("\n\n") if p.strip()]
        block.text = "\n\n".join(
            p  # a list keeps its lines
            if re.search(r"(?m)^\s*(-|\d+\.)\s", p)
            else textwrap.fill(
                " ".join(p.split()),
                width=61,
                initial_indent="    ",
                subsequent_indent="    ",
                break_on_hyphens=False,
                break_long_words=False,
            )  # fmt: skip
            for p in paragraphs
        )
    ET.indent(root, space="\t")
    return ET.tostring(root, encoding="utf-8")


@pytest.mark.parametrize("path", CLASSIC_FILES, ids=lambda p: p.stem)
def test_a_record_against_its_own_other_formats_is_no_change(path) -> None:
    record = read_classic_xml(path.read_bytes()).record
    assert diff_records(record, read_classic_xml(_rewrapped_xml(path.read_bytes())).record) == []
    assert diff_records(record, _as_history_html(record)) == []
    assert diff_records(_as_v2_markdown(record), _as_history_html(record)) == []


def test_a_real_edit_is_still_found_through_the_format() -> None:
    """SYNTHETIC edit: one exclusion criterion reworded in the escaped-HTML variant."""
    record = read_classic_xml(classic_xml("NCT01558063", "2018-05-29")).record
    edited = copy.deepcopy(record)
    module = edited["protocolSection"]["eligibilityModule"]
    module["eligibilityCriteria"] = module["eligibilityCriteria"].replace(
        "Significant ECG abnormalities", "Any ECG abnormality"
    )
    changes = diff_records(record, _as_history_html(edited))
    assert [c.field for c in changes] == ["eligibility_criteria"]
    criteria = module["eligibilityCriteria"]
    # the sentence that changed, not the whole text (the normal form has no list breaks)
    assert "Significant ECG abnormalities" in changes[0].old and len(changes[0].old) < len(criteria)
    assert "Any ECG abnormality" in changes[0].new and "Significant ECG" not in changes[0].new


def test_the_real_history_body_against_its_markdown_form() -> None:
    """SYNTHETIC: the real history body with entities decoded and its HTML criteria written as
    v2 markdown, as API v2 would serve the same version."""
    body = _history_study()
    assert "&#x2F;" in json.dumps(body) and "<li>" in json.dumps(body)
    markdown = _map_strings(copy.deepcopy(body), html.unescape)
    module = markdown["protocolSection"]["eligibilityModule"]
    criteria = re.sub(r"<li>", "\n* ", body["protocolSection"]["eligibilityModule"][
        "eligibilityCriteria"])  # fmt: skip
    criteria = re.sub(r"</?(?:ol|ul|p)>|</li>", "\n", criteria)
    module["eligibilityCriteria"] = html.unescape(re.sub(r"\n{3,}", "\n\n", criteria)).strip()
    assert not re.search(r"</?(?:p|ol|ul|li)>", module["eligibilityCriteria"])
    assert "SpO2 </= 94%" in module["eligibilityCriteria"]  # `&lt;&#x2F;=` in the body
    assert diff_records(body, markdown) == []
    module["minimumAge"] = "12 Years"  # SYNTHETIC edit: still a change
    assert [c.field for c in diff_records(body, markdown)] == ["eligibility_minimum_age"]


def test_references_can_be_left_out_between_history_versions() -> None:
    """SYNTHETIC: a later history version whose only difference is one more DERIVED reference."""
    body = _history_study()
    later = copy.deepcopy(body)
    later["protocolSection"]["referencesModule"]["references"].append(
        {"pmid": "1", "type": "DERIVED", "citation": "Later paper."}
    )
    assert [c.field for c in diff_records(body, later)] == ["protocolSection.referencesModule"]
    assert diff_records(body, later, references=False) == []
    assert "referencesModule" not in normalize_record(body, references=False)["protocolSection"]


def test_registry_computed_fields_and_empty_pieces_are_not_content() -> None:
    """A v2 record keeps geocodes and age groups the classic format never carried."""
    record = study("NCT00763412")
    bare = copy.deepcopy(record)
    for location in bare["protocolSection"]["contactsLocationsModule"]["locations"]:
        location.pop("geoPoint", None)
    bare["protocolSection"]["eligibilityModule"].pop("stdAges")
    bare["protocolSection"]["outcomesModule"]["otherOutcomes"] = []
    assert diff_records(record, bare) == []
    assert normalize_record(record)["derivedSection"] == record["derivedSection"]


def test_classic_words_are_read_as_v2_codes() -> None:
    record = study("NCT00763412")
    worded = copy.deepcopy(record)
    status = worded["protocolSection"]["statusModule"]
    status["overallStatus"] = "Completed"
    status["primaryCompletionDateStruct"]["type"] = "Actual"
    worded["protocolSection"]["designModule"]["phases"] = ["N/A"]
    assert diff_records(record, worded) == []


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("<p>Inclusion Criteria:</p><ol><li>Adults &amp; children</li></ol>",
         "Inclusion Criteria: Adults & children"),
        ("Inclusion Criteria:\n\n* Adults & children", "Inclusion Criteria: Adults & children"),
        ("Inclusion:\n\n  -  Adults &\n     children", "Inclusion: Adults & children"),
        ("1. First\n2. Second", "First Second"),
        ("reduction \\>= 2.0 in ASDAS \\[ln\\]", "reduction >= 2.0 in ASDAS [ln]"),
        ("doi: 10.1177&#x2F;1740", "doi: 10.1177/1740"),
        ("&lt;p&gt; is text", "<p> is text"),  # escaped markup is text, not markup
        ("p &lt;0.001, n=-3", "p <0.001, n=-3"),
        ("**Bold** words", "Bold words"),
        ("ACTIVE_NOT_RECRUITING", "ACTIVE_NOT_RECRUITING"),
    ],
)  # fmt: skip
def test_normalize_text(text, normal) -> None:
    assert normalize_text(text) == normal


def test_a_change_keeps_its_values_as_registered() -> None:
    """SYNTHETIC edit: why stopped set, in markup, on the real NCT00763412; the change is found on
    the normal form but logged with the registry's text, tags and all."""
    record = study("NCT00763412")
    edited = copy.deepcopy(record)
    edited["protocolSection"]["statusModule"]["whyStopped"] = "<b>Funding</b> &amp;  staff"
    (change,) = [c for c in diff_records(record, edited) if c.field == "why_stopped"]
    assert (change.old, change.new) == (None, "<b>Funding</b> &amp;  staff")
