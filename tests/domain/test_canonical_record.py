"""canonical_record: one serialisation gives the documented hashes and the canonical text."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, study
from trialwatch.domain.records import (
    canonical_bytes,
    canonical_json,
    canonical_record,
    loads_json,
    record_hashes,
)
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


def _json_dumps_sorted(value: Any) -> bytes:
    """The definition of canonical JSON, written with the standard library alone."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
_AWKWARD_FLOATS = [1e16, 1e-05, 1.2e-7, 1.5e300, 1e22, -0.0, 0.0001, float("nan"), float("inf")]


@settings(max_examples=400, deadline=None)
@given(_JSON_VALUES)
def test_fast_canonical_bytes_equal_the_standard_library(value):
    try:
        expected = _json_dumps_sorted(value)
    except UnicodeEncodeError:  # a lone surrogate: neither way can write it as UTF-8
        return
    assert canonical_bytes(value) == expected


@pytest.mark.parametrize("number", _AWKWARD_FLOATS)
def test_floats_orjson_writes_differently_take_the_exact_way(number):
    record = {"geoPoint": {"lat": number}, "note": "e1 and 0.00 in text"}
    assert canonical_bytes(record) == _json_dumps_sorted(record)


@settings(max_examples=400, deadline=None)
@given(_JSON_VALUES)
def test_fast_decoding_gives_what_the_standard_library_gives(value):
    """Integers beyond 64 bits stay integers (orjson would make 2**70 a float), NaN and infinity
    are read as Python reads them: a stored record decodes to the values it was stored with."""
    try:
        text = json.dumps(value, ensure_ascii=False)
        text.encode()
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 text holds it
        return
    expected = json.dumps(json.loads(text))  # NaN != NaN: compared as written
    assert json.dumps(loads_json(text)) == expected
    assert json.dumps(loads_json(text.encode())) == expected


def test_an_integer_beyond_64_bits_is_read_exactly() -> None:
    assert loads_json(b'{"count": 100000000000000000000}') == {"count": 10**20}
    assert loads_json('{"count": -9223372036854775809}') == {"count": -(2**63) - 1}
