"""Helpers for the report's browser test: headless Chromium (Debian's /usr/bin/chromium, driven
by Playwright), axe-core from npm (tests/report/browser/), and pdftotext from poppler-utils.

`missing()` names whatever is not installed and how to install it, so the test can skip with
that message; .ci/run installs all of it.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "report" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def missing() -> str | None:
    """Why the browser test cannot run here, with the command that fixes it; None if it can."""
    needs = []
    if CHROMIUM is None:
        needs.append("chromium (apt-get install chromium)")
    if PDFTOTEXT is None:
        needs.append("pdftotext (apt-get install poppler-utils)")
    if importlib.util.find_spec("playwright") is None:
        needs.append("playwright (pip install -e '.[test]')")
    if not AXE.exists():
        needs.append("axe-core (npm ci --prefix tests/report/browser)")
    return "browser test needs " + ", ".join(needs) if needs else None


def launch(playwright: Any) -> Any:
    """Debian's Chromium, not a browser build Playwright would download."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the loaded page: every rule axe runs by default."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(  # type: ignore[no-any-return]
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))"""
    )


def pdf_pages(page: Any, path: Path) -> list[str]:
    """Print the page to PDF as a reader would (print media, the page's own @page rules) and
    return each printed page's text, from pdftotext."""
    assert PDFTOTEXT is not None
    page.pdf(path=str(path), prefer_css_page_size=True)
    text = subprocess.run(
        [PDFTOTEXT, "-raw", "-enc", "UTF-8", str(path), "-"],  # -raw: each cell's lines together
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def squeeze(text: str) -> str:
    """Text without any whitespace: a printed line break may fall anywhere in a long word."""
    return re.sub(r"\s+", "", text)
