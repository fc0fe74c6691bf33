"""canonical_record: one serialisation gives the documented hashes and the canonical text."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import FIXTURES, study
from trialwatch.domain.records import canonical_json, canonical_record, record_hashes
from trialwatch.store import engine as store
from trialwatch.store.ingest import ingest_records
from trialwatch.store.models import utcnow


def _documented_hashes(record: dict) -> tuple[str, str]:
    """The definition: sha256 of the study part, and of study part + NUL + derived part."""
    study_part = canonical_json({k: v for k, v in record.items() if k != "derivedSection"})
    derived_part = canonical_json(record.get("derivedSection"))
    whole = (study_part + "\x00" + derived_part).encode()
    return hashlib.sha256(whole).hexdigest(), hashlib.sha256(study_part.encode()).hexdigest()


REAL = sorted(p.name for p in (FIXTURES / "studies").glob("*.json"))
ODD = [
    {},
    {"derivedSection": None},
    {"derivedSection": {"b": 1, "a": "ü"}, "é": [1.5, None], 'q"': {"z": "\\"}},
    {2: "int keys", 1: {"b": 1, "a": 2}},
]


@pytest.mark.parametrize("record", ODD)
def test_odd_records_match_the_definition(record):
    content_hash, study_hash, text = canonical_record(record)
    assert (content_hash, study_hash) == _documented_hashes(record)
    assert text == canonical_json(record)


@pytest.mark.parametrize("name", REAL)
def test_real_records_match_the_definition_in_any_key_order(name):
    record = json.loads((FIXTURES / "studies" / name).read_text(encoding="utf-8"))
    content_hash, study_hash, text = canonical_record(record)
    assert (content_hash, study_hash) == _documented_hashes(record)
    assert json.loads(text) == record and text == canonical_json(record)
    reordered = {k: record[k] for k in reversed(list(record))}
    assert record_hashes(reordered) == (content_hash, study_hash)


def _stored_raw(engine: sa.Engine) -> list[tuple[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT nct_id, raw FROM record_versions ORDER BY nct_id"))
        return [(r[0], json.loads(r[1]) if isinstance(r[1], str) else r[1]) for r in rows]


@pytest.mark.parametrize("own_engine", [True, False], ids=["make_engine", "plain_engine"])
def test_ingest_stores_the_record_itself_on_any_engine(db_url, own_engine):
    """The pre-serialised text is stored as the record, never as a JSON string, whichever engine
    the session uses (a plain create_engine has no pass-through serializer)."""
    records = [study("NCT03418623"), study("NCT00973089")]
    store.open_store(db_url).dispose()  # SQLite: create the schema
    engine = store.make_engine(db_url) if own_engine else sa.create_engine(db_url)
    try:
        with store.session_factory(engine).begin() as session:
            ingest_records(session, records, scope="full", now=utcnow(), run_id=None)
        assert _stored_raw(engine) == [("NCT00973089", records[1]), ("NCT03418623", records[0])]
    finally:
        engine.dispose()
