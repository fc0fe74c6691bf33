"""Faults for the report writer, injected at the operating-system calls it makes (os.fsync of
each staged page) or at its public swap step, never by replacing its private functions."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def fail_staged_fsync(monkeypatch: pytest.MonkeyPatch, n: int, exc: BaseException) -> list[str]:
    """os.fsync raises `exc` for the n-th file synced inside a report's staging folder (a full
    disk shows there, at the latest); other syncs go on. Returns the names synced so far."""
    real = os.fsync
    synced: list[str] = []

    def fsync(fd: Any) -> None:
        path = Path(os.readlink(f"/proc/self/fd/{fd}")) if isinstance(fd, int) else None
        if path is not None and ".staging-" in path.parent.name and path.is_file():
            synced.append(path.name)
            if len(synced) == n:
                raise exc
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return synced


def failing_swap(exc: BaseException) -> Callable[[Path, Path], bool]:
    """A stand-in for `report.writer.exchange_paths` whose swap fails with `exc`."""

    def exchange(_a: Path, _b: Path) -> bool:
        raise exc

    return exchange
