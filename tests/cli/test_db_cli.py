"""`trialwatch db current` / `db upgrade`, and what staff see on a store whose schema is behind."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from tests.faults.harness import run_cli
from tests.schema_helpers import upgrade_store_to
from trialwatch.store.engine import store_schema
from trialwatch.store.schema import HEAD_REVISION


def _config(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[database]\nurl = {json.dumps(url)}\n[[studies]]\nnct_id = "NCT02552212"\n',
        encoding="utf-8",
    )
    return path


def test_db_current_and_upgrade_on_a_new_database(tmp_path, empty_url):
    config = _config(tmp_path, empty_url)
    before = run_cli("--config", str(config), "db", "current")
    assert before.exit_code == 1
    assert (
        f"has no trialwatch tables yet. Create them with: trialwatch --config {config} db upgrade"
        in before.stderr
    )
    assert before.stderr.strip().endswith(f"trialwatch --config {config} db upgrade")

    first = run_cli("--config", str(config), "db", "upgrade")
    assert first.exit_code == 0, first.stderr
    assert first.stdout.strip().endswith(f"created the tables (schema revision {HEAD_REVISION})")
    again = run_cli("--config", str(config), "db", "upgrade")
    assert again.stdout.strip().endswith(
        f"already at schema revision {HEAD_REVISION}, the newest; nothing to do"
    )

    after = run_cli("--config", str(config), "db", "current")
    assert after.exit_code == 0 and after.stdout.strip().endswith(
        f"schema revision {HEAD_REVISION} (up to date)"
    )


def test_show_on_a_store_behind_this_trialwatch_says_what_to_run(
    tmp_path,
    empty_url,
    later_revision,
):
    """The store is at the real head minus studies.acronym, and this trialwatch (synthetically)
    needs one revision more: as if that revision added the column. The lookup's query fails, and
    the message names the revisions and the command, instead of the database's own error."""
    upgrade_store_to(empty_url, later_revision)
    engine = sa.create_engine(empty_url)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE studies DROP COLUMN acronym"))
    engine.dispose()
    config = _config(tmp_path, empty_url)
    shown = run_cli("--config", str(config), "show", "NCT02552212")
    assert shown.exit_code == 1
    assert f"is at schema revision {later_revision}, but this trialwatch needs 0999" in shown.stderr
    assert shown.stderr.strip().endswith(f"trialwatch --config {config} db upgrade")
    assert store_schema(empty_url).revision == later_revision  # a lookup never migrates
