"""NCT id validation and normalisation (pure)."""

from __future__ import annotations

import re

from trialwatch.errors import InvalidNctId

# Exactly 8 digits, as registered. The API would also take unpadded ids (NCT123), but a short id
# typed by a person is far more often a dropped digit than a shorthand, so it is refused.
# ASCII digits only (`\d` would take Arabic-Indic or full-width ones), and no line break after.
CANONICAL = re.compile(r"^NCT[0-9]{8}\Z")


def normalize_nct_id(raw: object) -> str:
    """Return the canonical `NCT01234567` form of `raw`, or raise InvalidNctId.

    Accepts lower case and surrounding white space.
    """
    if not isinstance(raw, str):
        raise InvalidNctId(f"{raw!r} is not an NCT id (expected text like NCT01558063)")
    text = raw.strip().upper()
    if not CANONICAL.match(text):
        raise InvalidNctId(
            f"{raw.strip()!r} is not an NCT id: expected 'NCT' followed by 8 digits, "
            "for example NCT01558063"
        )
    return text


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
