"""`trialwatch import`: archived study files into the store, each version at its own date.

Takes classic XML files, API v2 JSON study files, folders of them, and ZIPs of either (the
classic `AllPublicXML.zip`, the v2 bulk download `ctg-studies.json.zip`): ZIP members are found
by name (`NCT\\d{8}.xml` / `.json`), not by folder layout, and read one at a time, never the
whole archive at once. Every ZIP is opened (its central directory checked) before anything is
written, and the import is one transaction: a corrupt archive or an interruption stores
nothing. A malformed study file is reported and skipped; the rest is imported.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from trialwatch.config import Config
from trialwatch.domain.archive_files import Unreadable, id_from_name, is_study_name, read_archived
from trialwatch.errors import UsageError
from trialwatch.services.pipeline import open_sessions
from trialwatch.store.archive import Provenance, add_version
from trialwatch.store.lock import refresh_lock
from trialwatch.store.models import utcnow

FILE_SUFFIXES = (".xml", ".json")
STUDY_FILE = re.compile(r"NCT\d{8}(?!\d)", re.IGNORECASE)
SHOWN_PROBLEMS = 20  # malformed files named one by one; the rest are counted
NOT_CHOSEN = "not among the chosen studies"


class CorruptArchive(UsageError):
    """A ZIP that cannot be read: nothing is imported from any path."""


@dataclass
class ImportSummary:
    files: int = 0  # study files read
    studies: set[str] = field(default_factory=set)
    new_versions: int = 0
    changes: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> files
    problems: list[str] = field(default_factory=list)  # "file: reason" for malformed files

    def summary_line(self) -> str:
        line = (
            f"import: {self.files:,} files read, {len(self.studies):,} studies, "
            f"{self.new_versions:,} new versions, {self.changes:,} changes"
        )
        if self.skipped:
            reasons = "; ".join(f"{n:,} {why}" for why, n in sorted(self.skipped.items()))
            line += f"; skipped: {reasons}"
        return line


@dataclass(frozen=True)
class Member:
    label: str  # the file, or `archive.zip:member/name.xml`
    nct_hint: str | None  # the id its name promises
    read: Callable[[], bytes]


Progress = Callable[[int, int], None]  # (done, total)


def import_paths(
    config: Config,
    paths: Sequence[Path],
    *,
    ids: Collection[str] | None = None,
    date: str | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import every study file under `paths` (only `ids`, when given)."""
    summary = ImportSummary()
    with ExitStack() as stack:
        archives = {p: stack.enter_context(_open_zip(p)) for p in _zip_paths(paths)}
        total = sum(_count(p, archives) for p in paths)
        now = utcnow()
        with open_sessions(config) as (engine, sessions), refresh_lock(engine):
            with sessions.begin() as session:
                for done, member in enumerate(_members(paths, archives), 1):
                    _import_one(session, member, ids, date, now, summary)
                    if progress is not None:
                        progress(done, total)
    return summary


def _import_one(
    session: Session,
    member: Member,
    ids: Collection[str] | None,
    date: str | None,
    now: datetime,
    summary: ImportSummary,
) -> None:
    if ids is not None and member.nct_hint is not None and member.nct_hint not in ids:
        summary.skipped[NOT_CHOSEN] += 1
        return
    data = member.read()
    summary.files += 1
    try:
        archived = read_archived(data, date=date)
        if member.nct_hint is not None and archived.nct_id != member.nct_hint:
            raise Unreadable(f"its name says {member.nct_hint}, its record {archived.nct_id}")
    except Unreadable as exc:
        summary.skipped["malformed"] += 1
        summary.problems.append(f"{member.label}: {exc}")
        return
    if ids is not None and archived.nct_id not in ids:
        summary.skipped[NOT_CHOSEN] += 1
        return
    provenance = Provenance(
        source="import", format=archived.format, observed_date=archived.observed_date,
        source_file=member.label, raw_text=archived.raw_text,
    )  # fmt: skip
    added = add_version(session, archived.record, provenance, now=now, problems=archived.problems)
    summary.studies.add(archived.nct_id)
    if not added.stored:
        summary.skipped["already stored"] += 1
    summary.new_versions += added.stored
    summary.changes += added.changes


# -- finding the files -------------------------------------------------------------------------
def _zip_paths(paths: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += [p for p in _walk(path) if _is_zip(p)]
        elif _is_zip(path):
            out.append(path)
    return out


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise CorruptArchive(
            f"{path} is not a readable ZIP archive ({exc}); nothing was imported."
        ) from None


def _walk(folder: Path) -> Iterator[Path]:
    """ZIPs and study files in a folder (named for their study: `NCT00088699__2018-05-29.xml`
    or `NCT00088699.json`; other files there are not records)."""
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if _is_zip(path) or (path.suffix.lower() in FILE_SUFFIXES and STUDY_FILE.match(path.name)):
            yield path


def _is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


def _count(path: Path, archives: dict[Path, zipfile.ZipFile]) -> int:
    if path.is_dir():
        return sum(_count(p, archives) for p in _walk(path))
    if path in archives:
        return sum(1 for info in archives[path].infolist() if is_study_name(info.filename))
    return 1


def _members(paths: Sequence[Path], archives: dict[Path, zipfile.ZipFile]) -> Iterator[Member]:
    for path in paths:
        files = _walk(path) if path.is_dir() else iter([path])
        for file in files:
            if file in archives:
                yield from _zip_members(file, archives[file])
            else:
                hint = STUDY_FILE.match(file.name)
                yield Member(str(file), hint.group(0).upper() if hint else None, file.read_bytes)


def _zip_members(path: Path, archive: zipfile.ZipFile) -> Iterator[Member]:
    for info in archive.infolist():
        if info.is_dir() or not is_study_name(info.filename):
            continue

        def read(info: zipfile.ZipInfo = info) -> bytes:
            try:
                with archive.open(info) as member:
                    return member.read()
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise CorruptArchive(
                    f"{path} is damaged at {info.filename} ({exc}); nothing was imported."
                ) from None

        yield Member(f"{path}:{info.filename}", id_from_name(info.filename), read)
