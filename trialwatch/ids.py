"""NCT id validation and normalisation (pure)."""

from __future__ import annotations

import re

from trialwatch.errors import InvalidNctId

# The API accepts NCT + up to 8 digits without zero padding; the canonical form is padded to 8.
_LOOSE = re.compile(r"^NCT0*([1-9]\d{0,7})$")
CANONICAL = re.compile(r"^NCT\d{8}$")


def normalize_nct_id(raw: object) -> str:
    """Return the canonical `NCT01234567` form of `raw`, or raise InvalidNctId.

    Accepts lower case, surrounding white space and missing zero padding (as the API does).
    """
    if not isinstance(raw, str):
        raise InvalidNctId(f"{raw!r} is not an NCT id (expected text like NCT01558063)")
    text = raw.strip().upper()
    match = _LOOSE.match(text)
    if not match:
        raise InvalidNctId(
            f"{raw.strip()!r} is not an NCT id: expected 'NCT' followed by 8 digits, "
            "for example NCT01558063"
        )
    return f"NCT{int(match.group(1)):08d}"


def split_valid(raw_ids: list[str]) -> tuple[list[str], dict[str, str]]:
    """Normalise many ids: (valid ids in order without duplicates, {bad input: reason})."""
    valid: list[str] = []
    bad: dict[str, str] = {}
    seen: set[str] = set()
    for raw in raw_ids:
        try:
            nct = normalize_nct_id(raw)
        except InvalidNctId as exc:
            bad[str(raw)] = str(exc)
            continue
        if nct not in seen:
            seen.add(nct)
            valid.append(nct)
    return valid, bad
