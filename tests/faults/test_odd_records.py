"""Odd records are not failures: stored with what could be parsed, the rest named as problems.

Every record here is SYNTHETIC: the real NCT02552212 record (tests/fixtures/ctgov) with one kind
of damage applied in code, served as the registry's next version of a cited study. The refresh
must succeed, keep the raw record verbatim as a new version, store the parsed fields, and list
what it could not parse in `studies.parse_problems`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
import responses

from tests.conftest import API, study
from tests.faults.harness import CITED, Clinic, query, run_cli, updated_record

NCT = CITED[0]
Record = dict[str, Any]


def _proto(record: Record, module: str) -> Record:
    return record["protocolSection"][module]  # type: ignore[no-any-return]


def missing_modules(r: Record) -> None:
    for module in ("statusModule", "designModule", "armsInterventionsModule"):
        del r["protocolSection"][module]


def unknown_enums(r: Record) -> None:
    _proto(r, "statusModule")["overallStatus"] = "PAUSED_PENDING_REVIEW"
    _proto(r, "designModule")["phases"] = ["PHASE5"]
    _proto(r, "designModule")["studyType"] = "REGISTRY_OF_REGISTRIES"
    _proto(r, "designModule")["enrollmentInfo"]["type"] = "GUESSED"
    _proto(r, "sponsorCollaboratorsModule")["leadSponsor"]["class"] = "CONSORTIUM"


def extra_fields(r: Record) -> None:
    r["futureSection"] = {"aiSummary": {"text": "new in API 2.1", "model": None}}
    _proto(r, "statusModule")["overallStatusHistory"] = [{"status": "COMPLETED"}]
    _proto(r, "identificationModule")["orgStudyIdInfo"]["checksum"] = 7
    r["protocolSection"]["newModule"] = {"anything": [1, 2, 3]}


def nulls(r: Record) -> None:
    _proto(r, "statusModule")["startDateStruct"] = None
    _proto(r, "designModule")["enrollmentInfo"] = None
    _proto(r, "sponsorCollaboratorsModule")["leadSponsor"] = None
    r["protocolSection"]["conditionsModule"] = None
    _proto(r, "armsInterventionsModule")["interventions"].insert(0, None)


def wrong_types(r: Record) -> None:
    _proto(r, "identificationModule")["briefTitle"] = {"text": "a title in an object"}
    _proto(r, "designModule")["phases"] = "PHASE3"
    _proto(r, "statusModule")["completionDateStruct"] = {"date": "May 2020", "type": "ACTUAL"}
    r["hasResults"] = "yes"


def enrollment_sentinel(r: Record) -> None:
    _proto(r, "designModule")["enrollmentInfo"]["count"] = 99999999


HUGE = "A" * 1_000_000


def huge_text(r: Record) -> None:
    _proto(r, "identificationModule")["officialTitle"] = HUGE
    _proto(r, "statusModule")["whyStopped"] = "stopped " * 50_000
    _proto(r, "descriptionModule")["detailedDescription"] = "x" * 3_000_000
    _proto(r, "statusModule")["overallStatus"] = "RECRUITING_" * 1000  # a code no column holds


RTL = "\u202eتجربة سريرية\u202c — ניסוי קליני"  # Arabic, Hebrew and a right-to-left override


def non_ascii(r: Record) -> None:
    _proto(r, "identificationModule")["briefTitle"] = RTL
    _proto(r, "sponsorCollaboratorsModule")["leadSponsor"]["name"] = (
        "Hôpital Universitaire de Genève"
    )
    _proto(r, "conditionsModule")["conditions"] = ["抑郁症", "Dépression 🧠", "e\u0301 combining"]


# (case id, damage, stored column -> expected value, problems that must be listed)
CASES: list[tuple[str, Callable[[Record], None], dict[str, Any], list[str]]] = [
    ("record-missing-whole-modules", missing_modules,
     {"overall_status": None, "enrollment": None, "brief_title": study(NCT)["protocolSection"]
      ["identificationModule"]["briefTitle"]},
     [r"protocolSection\.statusModule: missing", r"protocolSection\.designModule: missing"]),
    ("unknown-enum-values", unknown_enums,
     {"overall_status": "PAUSED_PENDING_REVIEW", "phases": ["PHASE5"],
      "study_type": "REGISTRY_OF_REGISTRIES", "enrollment_type": "GUESSED",
      "lead_sponsor_class": "CONSORTIUM"}, []),
    ("extra-unknown-fields", extra_fields, {"overall_status": "TERMINATED"}, []),
    ("nulls-where-objects-are-expected", nulls,
     {"start_date": None, "enrollment": None, "lead_sponsor": None, "conditions": [],
      "overall_status": "TERMINATED"},
     [r"startDateStruct: null", r"enrollmentInfo: null", r"leadSponsor: null",
      r"conditionsModule: null", r"interventions: skipped a malformed entry"]),
    ("wrong-types", wrong_types,
     {"brief_title": None, "phases": [], "completion_date": None, "has_results": None},
     [r"briefTitle: expected text, got dict", r"phases: expected a list",
      r"completionDateStruct\.date: not a registry date: 'May 2020'", r"hasResults: expected"]),
    ("enrollment-99999999", enrollment_sentinel, {"enrollment": None, "enrollment_type": "ACTUAL"},
     [r"enrollment 99999999 is the registry's sentinel for unknown"]),
    ("huge-text-fields", huge_text,
     {"official_title": HUGE, "why_stopped": "stopped " * 50_000, "overall_status": None},
     [r"overallStatus: too long for a registry code \(11000 characters\)"]),
    ("non-ascii-and-right-to-left-text", non_ascii,
     {"brief_title": RTL, "lead_sponsor": "Hôpital Universitaire de Genève",
      "conditions": ["抑郁症", "Dépression 🧠", "e\u0301 combining"]}, []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("damage", "expected", "problems"), [pytest.param(*c[1:], id=c[0]) for c in CASES]
)
def test_odd_record_is_stored_with_its_problems_named(
    clinic: Clinic,
    damage: Callable[[Record], None],
    expected: dict[str, Any],
    problems: list[str],
):
    record = updated_record(NCT)
    damage(record)
    clinic.put(record)
    result = clinic.refresh()
    assert result.exit_code == 0, result.stderr
    assert clinic.runs()[-1][1] == "ok"
    stored = stored_study(clinic.db_url, NCT)
    for column, value in expected.items():
        assert stored[column] == value, column
    listed = " | ".join(stored["parse_problems"])
    for pattern in problems:
        assert re.search(pattern, listed), f"{pattern!r} not in {listed!r}"
    if not problems:
        assert stored["parse_problems"] == []
    raw = query(
        clinic.db_url,
        f"SELECT raw FROM record_versions WHERE nct_id = '{NCT}' ORDER BY version_no DESC",
    )
    assert len(raw) == 2 and _json(raw[0][0]) == record  # kept verbatim as a new version
    # the other cited study and the search hits are untouched by one odd record
    assert clinic.study_row(CITED[1])[0] == "COMPLETED"
    # shown sensibly: staff see what could not be read; the report renders without it
    shown = run_cli("--config", str(clinic.config_path), "show", NCT)
    assert shown.exit_code == 0, shown.stderr
    if problems:
        assert "Could not read from this version of the record:" in shown.stdout
        for pattern in problems:
            assert re.search(pattern, shown.stdout), pattern
    report = run_cli("--config", str(clinic.config_path), "report")
    assert report.exit_code == 0, report.stderr
    page = (clinic.report_dir / f"study-{NCT}.html").read_text(encoding="utf-8")
    assert NCT in page and "99999999" not in page and "99,999,999" not in page
    assert "RECRUITING_RECRUITING" not in page


def test_a_nul_character_in_text(clinic: Clinic):
    """PostgreSQL refuses NUL in text and JSONB, which failed the whole refresh: a NUL now
    becomes U+FFFD (the mark for an unreadable character) where the answer is decoded."""
    record = updated_record(NCT)
    record["protocolSection"]["identificationModule"]["briefTitle"] = "Before\x00after"
    clinic.put(record)
    result = clinic.refresh()
    assert result.exit_code == 0, result.stderr
    assert stored_study(clinic.db_url, NCT)["brief_title"] == "Before\ufffdafter"
    assert stored_study(clinic.db_url, NCT)["overall_status"] == "TERMINATED"


def test_a_400_for_one_id_in_a_batch_is_bisected(clinic: Clinic):
    """The registry refuses any batch holding one id; the others are still fetched and stored."""
    bad = "NCT00973089"
    text = clinic.config_path.read_text(encoding="utf-8")
    clinic.config_path.write_text(text + f'[[studies]]\nnct_id = "{bad}"\n', encoding="utf-8")
    clinic.put(study(bad))

    def refuse(request: Any) -> tuple[int, dict[str, str], str]:
        from tests.faults.harness import query_of

        if bad in query_of(request).get("filter.ids", ""):
            return 400, {"Content-Type": "text/plain"}, f"Invalid NCT id in filter.ids: {bad}"
        return clinic.answer(request)

    clinic.mock.reset()
    clinic.serve(skip=("ids",))
    clinic.mock.add_callback(responses.GET, f"{API}/studies", callback=refuse)
    result = clinic.refresh("--full")
    assert result.exit_code == 0, result.stderr
    assert f"{bad}: the registry refused this id" in result.stderr
    assert f"Invalid NCT id in filter.ids: {bad}" in result.stderr
    assert clinic.study_row(NCT)[0] == "TERMINATED"
    assert query(clinic.db_url, f"SELECT count(*) FROM studies WHERE nct_id = '{bad}'") == [(0,)]


def test_a_cited_alias_is_resolved_and_reported(clinic: Clinic):
    """SYNTHETIC alias: the config cites an old id the registry lists in nctIdAliases."""
    alias = "NCT01111111"
    record = updated_record(CITED[1])
    record["protocolSection"]["identificationModule"]["nctIdAliases"] = [alias]
    clinic.put(record)
    text = clinic.config_path.read_text(encoding="utf-8")
    clinic.config_path.write_text(text + f'[[studies]]\nnct_id = "{alias}"\n', encoding="utf-8")
    result = clinic.refresh()
    assert result.exit_code == 0, result.stderr
    assert f"{alias} is an alias of {CITED[1]}; tracking {CITED[1]} (update the config)" in (
        result.stderr
    )
    assert clinic.study_row(CITED[1])[0] == "TERMINATED"


def test_a_301_redirect_is_followed(clinic: Clinic):
    """The API moved: /studies answers 301 to a new address, which serves the data."""
    moved = "https://moved.ctgov.test/api/v2/studies"
    clinic.mock.reset()
    clinic.serve(skip=("ids", "search"))

    def redirect(request: Any) -> tuple[int, dict[str, str], str]:
        return 301, {"Location": moved + "?" + urlsplit(request.url).query}, ""

    clinic.mock.add_callback(responses.GET, f"{API}/studies", callback=redirect)
    clinic.mock.add_callback(responses.GET, moved, callback=clinic.answer)
    result = clinic.refresh()
    assert result.exit_code == 0, result.stderr
    assert clinic.study_row(NCT)[0] == "TERMINATED"
    assert any(c.request.url.startswith(moved) for c in clinic.mock.calls)


def stored_study(db_url: str, nct: str) -> dict[str, Any]:
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(sa.text(f"SELECT * FROM studies WHERE nct_id = '{nct}'")).one()
    finally:
        engine.dispose()
    out = dict(row._mapping)
    for key in ("phases", "conditions", "collaborators", "interventions", "parse_problems"):
        out[key] = _json(out[key])
    return out


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
