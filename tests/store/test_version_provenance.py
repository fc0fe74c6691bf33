"""Revision 0004 on both backends: versions stored before it become API v2 fetches observed on
the day they were first seen, and nothing else moves."""

from __future__ import annotations

import sqlalchemy as sa

from tests.schema_helpers import upgrade_store_to
from trialwatch.store import schema
from trialwatch.store.engine import store_schema, upgrade_store


def test_versions_from_before_0004_become_api_fetches_of_their_day(empty_url):
    upgrade_store_to(empty_url, "0001")
    engine = sa.create_engine(empty_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO record_versions (nct_id, version_no, scope, content_hash, "
                    "study_hash, raw, first_seen, last_seen) VALUES ('NCT02552212', 1, 'full', "
                    "'a', 'b', '{}', :seen, :seen)"
                ),
                {"seen": "2026-11-20 23:30:00+00:00"},
            )
    finally:
        engine.dispose()
    assert upgrade_store(empty_url).status == "outdated"
    assert store_schema(empty_url).revision == schema.HEAD_REVISION
    engine = sa.create_engine(empty_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT version_no, source, format, observed_date, source_file, raw_text, "
                    "registry_version FROM record_versions"
                )
            ).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [(1, "api", "v2-json", "2026-11-20", None, None, None)]
