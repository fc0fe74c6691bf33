"""Registry text made safe to carry: pure helpers (escaping stays the template's job)."""

from __future__ import annotations

import re

# Characters XML 1.0 forbids; registry text is untrusted and must not break the feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value: str | None) -> str:
    """Registry text without the control characters XML cannot carry (escaping is the
    template's job, not this function's)."""
    return _NOT_XML.sub("", value or "")
