"""The range of every number in config.toml, as msgspec types: nan and inf fail every bound;
and the length of every text the store keeps in a bounded column.

Nothing makes sense beyond these; a value outside one is refused when the file is read.
"""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

Timeout = Annotated[float, Meta(gt=0, le=3600)]  # seconds
Delay = Annotated[float, Meta(ge=0, le=3600)]  # seconds
RetryAfter = Annotated[float, Meta(ge=0, le=86400)]  # seconds
Retries = Annotated[int, Meta(ge=0, le=100)]
Days = Annotated[int, Meta(ge=0, le=3650)]
Period = Annotated[int, Meta(ge=1, le=3650)]  # days
Minutes = Annotated[int, Meta(ge=1, le=10080)]  # up to a week
GraceSeconds = Annotated[int, Meta(ge=1, le=604800)]  # up to a week
WaitSeconds = Annotated[int, Meta(ge=0, le=86400)]
Port = Annotated[int, Meta(ge=1, le=65535, description="between 1 and 65535")]
Entries = Annotated[int, Meta(ge=1, le=100_000)]
StudyCap = Annotated[int, Meta(ge=1, le=10_000_000)]
FullCap = Annotated[int, Meta(ge=0, le=100_000)]  # trials fetched in full per search
StaleDays = Annotated[float, Meta(gt=0, le=3650)]
Streak = Annotated[int, Meta(ge=1, le=1000)]  # failed runs in a row

# Text stored in a bounded column: a longer value would fail on PostgreSQL (SQLite stores any).
SEARCH_NAME_LENGTH = 200  # searches.name, search_hits.search_name, changes.search_name
SearchName = Annotated[str, Meta(max_length=SEARCH_NAME_LENGTH)]
