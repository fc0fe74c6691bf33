"""The demo report in real headless Chromium: loads with no console errors, shows the cited
studies' titles, and leaves screenshots in tests/report/artifacts/ for a person to look at."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.chromium,
    pytest.mark.skipif(
        CHROMIUM is None, reason="install chromium (apt-get install chromium) to enable"
    ),
]
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
]  # fmt: skip


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def console_problems(stderr: str) -> list[str]:
    """Console messages the page produced (Chromium logs them as INFO:CONSOLE lines)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from trialwatch.demo import run_demo

    result = run_demo(tmp_path_factory.mktemp("demo"))
    assert result.report is not None
    return result.report.parent


@pytest.mark.parametrize(
    ("page", "titles"),
    [
        ("index.html", [
            "Rapid Antidepressant Effects of Ketamine in Major Depression",
            "Ketamine in the Treatment of Depression",
        ]),
        ("study-NCT00088699.html", ["Rapid Antidepressant Effects of Ketamine"]),
        ("search-ketamine-depression.html", ["Studies by status, split by phase"]),
    ],
)  # fmt: skip
def test_report_opens_in_chromium(
    demo_report: Path, tmp_path: Path, page: str, titles: list[str]
) -> None:
    url = (demo_report / page).as_uri()
    dom = chromium(tmp_path / "profile", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert console_problems(dom.stderr) == []
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom.stdout))
    for title in titles:
        assert title in text
    assert "<script" not in dom.stdout  # the page needs no JavaScript

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"report-{page.removesuffix('.html')}.png"
    shot.unlink(missing_ok=True)
    taken = chromium(tmp_path / "profile2", f"--screenshot={shot}", "--window-size=1100,2600", url)
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.stat().st_size > 10_000  # a real picture, not an empty canvas
