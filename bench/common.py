"""Shared bench helpers: timing (wall and CPU), the machine's description, number formatting."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Timing:
    wall: float = 0.0
    cpu: float = 0.0  # this process's CPU time, plus its finished children's


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


@contextmanager
def timed() -> Iterator[Timing]:
    """Wall and CPU seconds of the block. CPU time barely moves when other jobs share the
    cores, so ratios are given for both."""
    timing = Timing()
    wall, cpu = time.perf_counter(), _cpu()
    try:
        yield timing
    finally:
        timing.wall, timing.cpu = time.perf_counter() - wall, _cpu() - cpu


def run_command(argv: list[str], env: dict[str, str] | None = None) -> tuple[Timing, str]:
    """Run a command to completion; its wall and CPU time and its standard output."""
    with timed() as timing:
        done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{argv} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return timing, done.stdout


@dataclass
class ChildRun:
    """A benchmark step run in a fresh process: its timing, peak memory and JSON answer."""

    timing: Timing
    peak_rss: int  # bytes: the child's own peak resident set (common.own_peak_rss)
    answer: dict[str, Any]


def run_child(task: str, *args: str) -> ChildRun:
    """`python -m bench.child task args...` in a fresh process, so its peak RSS is its own
    (the child reports its own peak resident set and its CPU time)."""
    argv = [sys.executable, "-m", "bench.child", task, *args]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    wall = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - wall
    if done.returncode:
        raise RuntimeError(f"{task} failed ({done.returncode}): {done.stderr[-800:]}")
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    return ChildRun(Timing(wall=elapsed, cpu=answer["cpu"]), answer["peak_rss"], answer)


def own_peak_rss() -> int:
    """This process's peak resident set, bytes: VmHWM of /proc/self/status, the high-water mark
    of its own memory since it started. Not getrusage's ru_maxrss: Linux carries the parent's
    high-water mark into a child across fork (or vfork) and exec, so a child of a bench holding
    100,000 records would report the bench's peak, not its own."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def machine() -> dict[str, str]:
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "load average at start": load,
    }


def mib(n: float) -> str:
    return f"{n / 2**20:,.1f} MiB" if n >= 2**20 else f"{n / 1024:,.1f} KiB"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"
