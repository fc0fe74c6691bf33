from __future__ import annotations

import pytest

from trialwatch.domain.ids import normalize_nct_id
from trialwatch.errors import InvalidNctId


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("NCT01558063", "NCT01558063"),
        (" nct01558063\n", "NCT01558063"),
        ("nCt00088699", "NCT00088699"),
    ],
)
def test_normalises_case_and_spaces(raw, expected):
    assert normalize_nct_id(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "NCT", "NCT0", "NCT123", "NCT1558063", "NCT123456789", "NTC01558063", "NCT0155806a",
     "01558063", "NCT 01558063", None, 1558063],
)  # fmt: skip
def test_rejects_malformed(raw):
    """Short ids are refused: a dropped digit is likelier than a shorthand for zero padding."""
    with pytest.raises(InvalidNctId, match="not an NCT id"):
        normalize_nct_id(raw)


def test_the_refusal_shows_what_was_typed_and_an_example():
    with pytest.raises(InvalidNctId) as refused:
        normalize_nct_id(" NCT123 ")
    assert str(refused.value) == (
        "'NCT123' is not an NCT id: expected 'NCT' followed by 8 digits, for example NCT01558063"
    )
