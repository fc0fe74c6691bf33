"""`changes` and `history` name what changed in words; `--json` keeps the codes. Real record
NCT00763412 and a documented SYNTHETIC edit of it (tests/synthetic_edits.py)."""

from __future__ import annotations

import json

import responses

from tests import synthetic_edits as edits
from tests.conftest import API, page, study
from tests.staff_store import run
from trialwatch.config import load_config
from trialwatch.services import pipeline as services


def _edited_store(ctgov, make_config):
    path = make_config(studies=["NCT00763412"])
    ctgov.get(f"{API}/studies", json=page(study("NCT00763412")))
    services.refresh(load_config(path), full=True)
    ctgov.replace(responses.GET, f"{API}/studies", json=page(edits.bmi_value_and_serious_event()))
    services.refresh(load_config(path), full=True)
    return path


def test_changes_for_a_study_name_the_outcome_the_arm_and_both_values(ctgov, make_config):
    path = _edited_store(ctgov, make_config)
    out = run(path, "changes", "--study", "nct00763412").stdout  # piped: tab-separated
    rows = [line.split("\t") for line in out.splitlines()]
    assert rows[0][3:6] == ["What changed", "Old", "New"]
    facts = {tuple(r[1:2] + r[3:6]) for r in rows[1:]}
    assert (
        "notable",
        "Primary outcome “BMI” (2 year/end of study), arm “2. Repaglinide”, value",
        "21.19",
        "19.19",
    ) in facts
    assert (
        "notable",
        "Serious adverse event “Pancreatitis” (Gastrointestinal disorders) appeared",
        "",
        "Placebo: 0 / 8; Repaglinide: 1 / 8",
    ) in facts
    assert "resultsSection" not in out and "outcome_value" not in out


def test_json_keeps_the_codes_and_the_context(ctgov, make_config):
    path = _edited_store(ctgov, make_config)
    logged = json.loads(run(path, "changes", "--study", "NCT00763412", "--json").stdout)
    value = next(c for c in logged if c["field"] == "outcome_value")
    assert (value["old_value"], value["new_value"], value["severity"]) == (
        "21.19",
        "19.19",
        "notable",
    )
    assert value["context"] == {
        "outcome_type": "PRIMARY", "outcome": "BMI", "time_frame": "2 year/end of study",
        "group": "2. Repaglinide",
    }  # fmt: skip
    history = run(path, "history", "NCT00763412").stdout
    assert "Primary outcome “BMI” (2 year/end of study), arm “2. Repaglinide”, value" in history
    shown = json.loads(run(path, "show", "NCT00763412", "--json").stdout)
    assert {c["field"] for c in shown["latest_changes"]} >= {"outcome_value", "ae_serious_total"}
    # the real record was registered after it started, and its results came late
    assert [f["code"] for f in shown["flags"]] == [
        "registered_after_start",
        "results_submitted_late",
    ]
    assert shown["flags"][0]["words"].startswith("Registered 1 year 9 months after the study")
    assert shown["flags"][0]["versions"] == [1, 2]


def test_show_text_lists_the_flags_from_the_history(ctgov, make_config):
    path = _edited_store(ctgov, make_config)
    out = run(path, "show", "NCT00763412").stdout
    assert "Flags from the study's history:" in out
    assert (
        "  - Results submitted 3 years 5 months after primary completion (completed 2013-01" in out
    )
