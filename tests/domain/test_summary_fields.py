"""The study's fields are listed once (trialwatch.domain.summary); everyone else follows it."""

from __future__ import annotations

from trialwatch.domain.summary import (
    CHANGE_RULES,
    FIELD_LABELS,
    LIST_JOINERS,
    LISTED_FIELDS,
    SUMMARY_FIELDS,
)


def test_every_field_has_words_and_compared_fields_have_a_known_rule():
    assert all(FIELD_LABELS[f.name] for f in SUMMARY_FIELDS)
    rules = {"minor", "notable", "critical", "status", "enrollment", "date", "results"}
    assert set(CHANGE_RULES.values()) <= rules
    assert CHANGE_RULES["overall_status"] == "status" and CHANGE_RULES["why_stopped"] == "notable"
    # identity and registry bookkeeping are never reported as a change of the study
    assert not {"nct_id", "version_holder", "last_update_posted", "aliases"} & set(CHANGE_RULES)


def test_listed_fields_and_joiners():
    assert LISTED_FIELDS[0] == "nct_id" and LISTED_FIELDS[-1] == "version_holder"
    assert "lead_sponsor_class" not in LISTED_FIELDS and "aliases" not in LISTED_FIELDS
    assert LIST_JOINERS["phases"] == ", " and LIST_JOINERS["conditions"] == "; "
