"""Writes a rendered report so that readers see the old report or the new one, never a mix.

1. Every page is written (and fsynced) into a staging folder beside the report folder.
2. Files in the report folder that trialwatch did not write (a `.gitkeep`, notes, the alerts
   feed) are hard-linked in, so each stays the very file its writer wrote. A folder that holds
   the database or the config file is refused (`refuse_shared_folder`).
3. The staging folder and the report folder are swapped in one step with Linux's
   renameat2(RENAME_EXCHANGE). Where that is not available, two renames are used: the old
   folder is renamed aside, then the new one into place; a crash between the two leaves the
   old report in the aside folder, and the next render puts a report back.
4. The old report (now in the staging path) is deleted. A staging folder left by a render that
   was killed (its process id no longer runs) is deleted by the next render.

A failure before step 3 leaves the previous report byte for byte as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from trialwatch.errors import TrialwatchError, UsageError

MANIFEST = ".trialwatch-report.json"  # the files the previous render wrote
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class ReportWriteError(TrialwatchError):
    """The report could not be written; the previous report is unchanged."""


def refuse_shared_folder(directory: Path, holders: Mapping[str, Path]) -> None:
    """UsageError if the report folder is, or contains, the folder of one of `holders`.

    A render swaps the whole folder: one that holds the database or the config file would take
    them with it (a refresh running meanwhile would lose what it committed).
    """
    directory = directory.resolve()
    clashes = [
        f"the {what} ({path})" for what, path in holders.items() if directory in path.parents
    ]
    if clashes:
        raise UsageError(
            f"[report] dir {directory} holds {' and '.join(clashes)}. A render replaces the whole "
            "report folder, so give the report a folder of its own (the default, reports/ "
            "beside the config, is fine)."
        )


def write_report(
    directory: Path,
    pages: Mapping[str, str],
    *,
    before_swap: Callable[[int], None] | None = None,
) -> int:
    """Replace the report in `directory` with `pages` ({file name: HTML}); return bytes written.

    `before_swap(bytes written)` runs once every page is staged, just before the swap: if it
    raises, nothing is swapped (the render logs its run there, so a run it cannot log swaps
    nothing)."""
    for name in pages:
        if "/" in name or "\\" in name or name.startswith(".") or not name:
            raise ReportWriteError(f"refusing to write report page {name!r}")
    directory = directory.resolve()
    directory.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(directory)
    prefix = f".{directory.name}.staging-{os.getpid()}-"
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=directory.parent))
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a report is read by a web server
    try:
        total = 0
        for name, html in pages.items():
            total += _write_synced(staging / name, html.encode("utf-8"))
        _write_synced(staging / MANIFEST, json.dumps(sorted(pages)).encode())
        _carry_over(directory, staging, set(pages))
        _fsync_dir(staging)
        _carry_over(directory, staging, set(pages))  # what appeared while the pages synced
        if before_swap is not None:
            before_swap(total)
        _swap(staging, directory)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ReportWriteError(
            f"could not write the report to {directory}: {exc}; the previous report is unchanged"
        ) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)  # now holds the previous report
    return total


def _remove_abandoned_staging(directory: Path) -> None:
    """Delete staging folders left by a render that was killed (its process is gone)."""
    pattern = re.compile(rf"\.{re.escape(directory.name)}\.staging-([0-9]+)-")
    if not directory.parent.is_dir():
        return
    for entry in directory.parent.iterdir():
        found = pattern.match(entry.name)
        if found and entry.is_dir() and not _alive(int(found.group(1))):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def _write_synced(path: Path, data: bytes) -> int:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return len(data)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _carry_over(directory: Path, staging: Path, new_pages: set[str]) -> None:
    """Bring what someone else put in the report folder; drop pages the previous render wrote.

    Files are hard-linked, not copied: the file at its path after the swap is the very file
    its owner wrote (and may still hold open). Run again just before the swap, it links what
    appeared or was replaced meanwhile (a refresh writing `feed.xml`).
    """
    if not directory.is_dir():
        return
    try:
        ours = set(json.loads((directory / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        ours = set()
    for entry in directory.iterdir():
        if entry.name in ours or entry.name in new_pages or entry.name == MANIFEST:
            continue
        target = staging / entry.name
        if entry.is_dir() and not entry.is_symlink():
            if not target.exists():
                shutil.copytree(entry, target, symlinks=True, copy_function=_link_or_copy)
        elif not (target.exists() and os.path.samestat(target.lstat(), entry.lstat())):
            target.unlink(missing_ok=True)
            _link_or_copy(str(entry), str(target))


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:  # another filesystem, or links not allowed: a copy then
        shutil.copy2(source, target, follow_symlinks=False)


@cache
def _renameat2() -> Any:
    """libc's renameat2, looked up once (find_library runs `ldconfig`); None where absent."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return None
    try:
        renameat2 = ctypes.CDLL(libc_name, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    return renameat2


def exchange_paths(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False if the platform cannot, and the
    writer then falls back to two renames. Public so that a test can stand in for a platform
    without it, or for an I/O error at the swap."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # this filesystem or kernel cannot
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap(staging: Path, directory: Path) -> None:
    """Put `staging` at `directory`; afterwards `staging` holds the previous report (if any)."""
    _recover(directory)
    if not directory.exists():
        os.rename(staging, directory)
        staging.mkdir()  # keep the caller's clean-up uniform
        return
    if exchange_paths(staging, directory):
        return
    aside = directory.with_name(f".{directory.name}.previous")
    shutil.rmtree(aside, ignore_errors=True)
    os.rename(directory, aside)
    os.rename(staging, directory)
    os.rename(aside, staging)


def _recover(directory: Path) -> None:
    """After a crash between the two fallback renames, put the previous report back."""
    aside = directory.with_name(f".{directory.name}.previous")
    if aside.is_dir() and not directory.exists():
        os.rename(aside, directory)
