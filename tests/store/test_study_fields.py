"""The store keeps the study's fields under the names trialwatch.domain.summary lists."""

from __future__ import annotations

from trialwatch.domain.summary import SUMMARY_FIELDS
from trialwatch.store.models import Study


def test_every_summary_field_is_a_study_column_of_the_same_name():
    columns = set(Study.__table__.columns.keys())
    names = {f.name for f in SUMMARY_FIELDS} - {"problems"}
    assert names <= columns
    assert "parse_problems" in columns  # `problems`, stored under a clearer name
