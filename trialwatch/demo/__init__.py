"""The offline demo: the clinic's own config, run through the whole pipeline on bundled archived
records (two real snapshots of the registry), with its own config and database."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import requests

from trialwatch.config import Config, load_config
from trialwatch.ctgov.session import USER_AGENT
from trialwatch.demo.replay import ARCHIVE_DIR, DATA_DIR, ReplayAdapter, snapshot_dates
from trialwatch.services.refresh import RefreshResult

DEMO_DB = "demo.db"
CITED = ("NCT00088699", "NCT01558063")  # the clinic page's two studies, as its config cites them


@dataclass
class DemoResult:
    directory: Path
    config: Config
    refreshes: list[RefreshResult] = field(default_factory=list)
    report: Path | None = None


def prepare(directory: Path) -> Config:
    """A fresh demo folder: the demo config beside an empty database (a re-run starts over)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in (DEMO_DB, DEMO_DB + "-wal", DEMO_DB + "-shm"):
        (directory / name).unlink(missing_ok=True)
    config_text = (DATA_DIR / "config.toml").read_text(encoding="utf-8")
    config_text = config_text.replace("@ARCHIVED@", str(archived_studies()))
    config_text += f'\n[database]\nurl = "sqlite:///{DEMO_DB}"\n'
    (directory / "config.toml").write_text(config_text, encoding="utf-8")
    shutil.copyfile(DATA_DIR / "PROVENANCE.md", directory / "PROVENANCE.md")
    return load_config(directory / "config.toml")


def archived_studies() -> int:
    """How many studies the bundled archive holds (what the demo's searches run over)."""
    return len({path.name.split("__")[0] for path in ARCHIVE_DIR.glob("NCT*.xml")})


def replay_session(stage: int) -> requests.Session:
    session = requests.Session()
    adapter = ReplayAdapter(stage=stage)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


def run_demo(directory: Path) -> DemoResult:
    """Refresh twice from the archive (the 2018 snapshot, then the 2020 one) and render the
    report. Each refresh's new versions are observed on its snapshot's date, not the demo's."""
    from trialwatch.services import pipeline as services

    config = prepare(directory)
    result = DemoResult(directory=directory, config=config)
    dates = snapshot_dates()
    for stage in (0, 1):
        client = services.make_client(config, replay_session(stage))
        client.min_interval = 0  # nothing to be polite to: the answers are local
        observed = dates[min(stage, len(dates) - 1)]
        result.refreshes.append(
            services.refresh(
                config, full=True, client=client, trigger="demo", observed_date=observed
            )
        )
    render = getattr(services, "render_report", None)
    if render is not None:
        result.report = render(config)
    return result
