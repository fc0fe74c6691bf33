"""Prints each benchmark's figures as it finishes and writes them all to a Markdown file.

Every goal of issue 19 (and the request goals of issue 8) is one row of the goals table, with
its kind: `count`, `bytes` and `memory` goals fail `--check`; `time` goals are reported only
(timings on a shared machine are too noisy to fail CI on). The hand-written notes below the
NOTES marker of an existing results file are kept.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from bench.common import mib

NOTES = "<!-- notes: everything below this line is hand-written and kept across runs -->"
CHECKED = ("count", "bytes", "memory")


class Writeup:
    def __init__(self, size: str, when: datetime, machine: dict[str, str]) -> None:
        self.size, self.when, self.machine = size, when, machine
        self.lines: list[str] = []
        self.goals: list[
            tuple[str, str, str, str, str]
        ] = []  # figure, goal, measured, verdict, kind

    @property
    def missed_checked(self) -> list[str]:
        return [g[0] for g in self.goals if g[3] not in ("met", "reported") and g[4] in CHECKED]

    def emit(self, *lines: str) -> None:
        for line in lines:
            print(line, flush=True)
            self.lines.append(line)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        self.emit(
            "| " + " | ".join(header) + " |",
            "|" + "|".join("---" for _ in header) + "|",
            *("| " + " | ".join(row) + " |" for row in rows),
            "",
        )

    def goal(
        self,
        figure: str,
        goal: str,
        measured: str,
        ok: bool | None | Literal["reported"],
        kind: str,
    ) -> None:
        """One goal row; `ok` None: not measured in this build (never "met"); "reported": a
        figure printed beside the goals, with no goal of its own."""
        verdict = ok if ok == "reported" else (
            "not measured" if ok is None else ("met" if ok else "not met"))  # fmt: skip
        self.goals.append((figure, goal, measured, verdict, kind))
        print(f"GOAL  {figure}: {measured} (goal {goal}) -> {verdict}", flush=True)

    def start(self) -> None:
        self.emit(
            f"Size `{self.size}`, {self.when:%Y-%m-%d %H:%M} UTC.",
            "",
            *(f"- {k}: {v}" for k, v in self.machine.items()),
            "",
            "All records are SYNTHETIC: real recorded records from `tests/fixtures/ctgov/studies/` "
            "(and trims of three of them without their results) under made-up ids (`NCT8xxxxxxx` "
            "cited, `NCT9xxxxxxx` search hits), mixed at the registry's size distribution "
            "(17.7 KB a full record on average; see `bench/synthetic.py`). Only the demo store "
            "of the `show` figure holds real records under their own ids.",
            "",
        )

    def finish(self) -> None:
        self.emit("## Goals", "")
        self.table(["figure", "goal", "measured", "verdict", "kind"], [list(g) for g in self.goals])

    def write(self, path: Path) -> None:
        notes = ""
        if path.exists() and NOTES in path.read_text(encoding="utf-8"):
            notes = path.read_text(encoding="utf-8").split(NOTES, 1)[1]
        lines = self.lines
        goals = lines.index("## Goals")
        first = next(i for i, line in enumerate(lines) if line.startswith("## "))
        body = [
            "# Benchmark results",
            "",
            "Written by `python -m bench` (see README, *Benchmarks*). Figures from one run.",
            "",
            *lines[:first],
            *lines[goals:],
            *lines[first:goals],
            NOTES,
        ]
        path.write_text("\n".join(body) + (notes or "\n"), encoding="utf-8")


def rss(n: int) -> str:
    return mib(n)
