"""What a refresh fetched, kept on disk until the write at the end: memory stays flat at any size.

Each record is prepared (parsed, serialised, hashed: `store.ingest.prepare_record`) as its page
arrives and written to an unnamed temporary file (in TMPDIR; gone when closed, even after a
crash). The write transaction then reads the records back in order, section by section.
Two lines a record: a small header (id, hashes, study row) and the canonical JSON, which never
holds a raw newline.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import orjson

from trialwatch.store.ingest import Prepared, prepare_record


@dataclass
class Section:
    """One run of records in the spool (the cited studies, or one search's hits)."""

    start: int
    count: int = 0
    skipped: int = 0  # records without a usable NCT id


class Spool:
    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="trialwatch-refresh-")
        self._open: Section | None = None

    def __enter__(self) -> Spool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._file.close()

    def section(self) -> Section:
        """Start a new section; records added from now on belong to it."""
        self._file.seek(0, 2)
        self._open = Section(start=self._file.tell())
        return self._open

    def add(self, records: list[dict[str, Any]]) -> list[str]:
        """Prepare and write records to the open section; their NCT ids."""
        assert self._open is not None, "call section() first"
        ids = []
        write = self._file.write
        for record in records:
            entry = prepare_record(record)
            if entry is None:
                self._open.skipped += 1
                continue
            nct, row, canonical, content_hash, study_hash = entry
            write(orjson.dumps((nct, content_hash, study_hash, row)))
            write(b"\n")
            write(canonical.encode())
            write(b"\n")
            ids.append(nct)
        self._open.count += len(ids)
        return ids

    def read(self, section: Section) -> Iterator[Prepared]:
        """The section's records, in the order they were added."""
        self._open = None
        self._file.seek(section.start)
        for _ in range(section.count):
            nct, content_hash, study_hash, row = orjson.loads(self._file.readline())
            canonical = self._file.readline()[:-1].decode()
            yield Prepared(nct, row, canonical, content_hash, study_hash)
