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
