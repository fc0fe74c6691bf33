"""Schema migrations: empty to head on both backends, matching the models; what open_store does
with an empty, out-of-date, pre-Alembic, foreign or corrupt database."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.schema_helpers import upgrade_store_to
from trialwatch.errors import StoreError
from trialwatch.store import schema
from trialwatch.store.engine import open_store, store_schema, upgrade_store
from trialwatch.store.models import Base

MODEL_TABLES = set(Base.metadata.tables)


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _sql(url: str, *statements: str) -> list[tuple]:
    """Run statements in one transaction; the rows of the last one (if it returns any)."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for stmt in statements:
                result = conn.execute(sa.text(stmt))
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def test_head_constant_matches_the_migration_scripts():
    """HEAD_REVISION saves the read path an Alembic import; it must name the real head."""
    assert schema.HEAD_REVISION == schema.head_revision_or_none()
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(schema.alembic_config())
    assert scripts.get_base() == schema.INITIAL_REVISION


def test_upgrade_creates_exactly_the_models_schema(empty_url):
    before = upgrade_store(empty_url)
    assert before.status == "empty"
    assert _tables(empty_url) == MODEL_TABLES | {"alembic_version"}
    engine = sa.create_engine(empty_url)
    try:
        with engine.connect() as conn:
            assert schema.read_revision(conn) == schema.HEAD_REVISION
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []  # types, nullability, indexes, unique and foreign keys all as in models.py
    assert upgrade_store(empty_url).status == "current"  # a second run does nothing


def test_alembic_version_lives_in_the_stores_own_postgres_schema(pg_url):
    upgrade_store(pg_url)
    rows = _sql(
        pg_url,
        "SELECT table_schema = current_schema() FROM information_schema.tables "
        "WHERE table_name = 'alembic_version'",
    )
    assert rows == [(True,)]


def test_postgres_json_columns_are_jsonb(pg_url):
    upgrade_store(pg_url)
    rows = _sql(
        pg_url,
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND column_name IN ('raw', 'phases', 'params') "
        "ORDER BY 1, 2",
    )
    assert rows == [
        ("record_versions", "raw", "jsonb"),
        ("searches", "params", "jsonb"),
        ("studies", "phases", "jsonb"),
    ]


def test_sqlite_is_created_on_first_open(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    open_store(url).dispose()
    assert _tables(url) == MODEL_TABLES | {"alembic_version"}
    assert store_schema(url).status == "current"


def test_sqlite_without_create_is_refused_not_created(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    with pytest.raises(StoreError, match="no trialwatch tables yet.*db upgrade"):
        open_store(url, create=False)
    assert _tables(url) == set()


def test_postgres_empty_schema_is_refused_with_the_command_to_run(pg_url):
    with pytest.raises(StoreError) as err:
        open_store(pg_url, config_path="/srv/tw/config.toml")
    assert "has no trialwatch tables yet" in str(err.value)
    assert str(err.value).endswith("trialwatch --config /srv/tw/config.toml db upgrade")
    assert _tables(pg_url) == set()  # refused means untouched


def test_read_path_does_not_import_alembic(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade_store(url)
    code = (
        "import sys; from trialwatch.store.engine import open_store; "
        "open_store(sys.argv[1]).dispose(); "
        "assert 'alembic' not in sys.modules, 'alembic imported'"
    )
    done = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_out_of_date_sqlite_is_upgraded_on_open(tmp_path, later_revision):
    empty_url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade_store_to(empty_url, later_revision)
    _sql(empty_url, "INSERT INTO searches (name, params, capped) VALUES ('kept', '{}', false)")
    open_store(empty_url).dispose()
    assert store_schema(empty_url).revision == "0999"
    assert _sql(empty_url, "SELECT name, note FROM searches, changes") == []  # note column exists
    assert _sql(empty_url, "SELECT name FROM searches") == [("kept",)]  # data survived


def test_out_of_date_postgres_is_refused_then_upgraded_by_the_command(pg_url, later_revision):
    upgrade_store_to(pg_url, later_revision)
    with pytest.raises(StoreError) as err:
        open_store(pg_url, config_path="config.toml")
    message = str(err.value)
    assert f"is at schema revision {later_revision}, but this trialwatch needs 0999" in message
    assert message.endswith("trialwatch --config config.toml db upgrade")
    assert store_schema(pg_url).revision == later_revision  # refused means untouched
    assert upgrade_store(pg_url).status == "outdated"
    open_store(pg_url).dispose()
    assert store_schema(pg_url).revision == "0999"


def _copy_scripts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, keep: bool) -> Path:
    scripts = tmp_path / "migrations"
    shutil.copytree(Path(schema.__file__).parent / "migrations", scripts)
    if not keep:
        for old in (scripts / "versions").glob("*.py"):
            old.unlink()
    monkeypatch.setattr(schema, "SCRIPT_LOCATION", str(scripts))
    return scripts


def test_autogenerate_finds_nothing_new_when_models_match(tmp_path, monkeypatch):
    """`trialwatch db revision` on an unchanged models.py: an empty revision."""
    _copy_scripts(tmp_path, monkeypatch, keep=True)
    path = schema.new_revision("nothing")
    assert path.name == f"{int(schema.HEAD_REVISION) + 1:04d}_nothing.py"
    body = path.read_text().split("def upgrade() -> None:")[1].split("def downgrade")[0]
    statements = [line.strip() for line in body.splitlines() if line.strip()[:1] not in ("", "#")]
    assert statements == ["pass"]


def test_autogenerated_revision_is_self_contained_and_builds_the_models(tmp_path, monkeypatch):
    """From no revisions at all: the script must not import the live models and must build
    exactly their schema (our types are rendered as plain SQLAlchemy ones)."""
    _copy_scripts(tmp_path, monkeypatch, keep=False)
    path = schema.new_revision("everything")
    code = path.read_text().split('"""', 2)[2]
    assert path.name == "0001_everything.py" and "trialwatch" not in code
    monkeypatch.setattr(schema, "HEAD_REVISION", "0001")
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert upgrade_store(url).status == "empty"
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    finally:
        engine.dispose()


# -- databases that are not (or not yet) Alembic-managed trialwatch stores ---------------------
def test_revision_from_a_newer_trialwatch_is_refused(db_url):
    open_store(db_url).dispose()
    _sql(db_url, "UPDATE alembic_version SET version_num = 'f00dcafe'")
    with pytest.raises(StoreError, match="revision f00dcafe, which this trialwatch does not know"):
        open_store(db_url)
    with pytest.raises(StoreError, match="does not know"):
        upgrade_store(db_url)


def _pre_alembic_store(url: str) -> None:
    """A store as trialwatch made it before migrations: the initial tables, no alembic_version."""
    upgrade_store_to(url, schema.INITIAL_REVISION)
    _sql(url, "DROP TABLE alembic_version")


def test_pre_alembic_store_matching_the_initial_schema_is_adopted(empty_url):
    _pre_alembic_store(empty_url)
    _sql(empty_url, "INSERT INTO searches (name, params, capped) VALUES ('kept', '{}', false)")
    if empty_url.startswith("postgresql"):
        with pytest.raises(StoreError, match="from before schema migrations. Adopt them with"):
            open_store(empty_url)
        assert upgrade_store(empty_url).status == "unversioned"
    open_store(empty_url).dispose()  # SQLite: adopted on open
    assert store_schema(empty_url).revision == schema.HEAD_REVISION
    assert _sql(empty_url, "SELECT name FROM searches") == [("kept",)]


def test_pre_alembic_store_that_differs_is_refused_and_left_alone(empty_url):
    """Like a store from before changes.notified_at and report_runs existed."""
    _pre_alembic_store(empty_url)
    _sql(empty_url, "DROP TABLE report_runs", "ALTER TABLE changes DROP COLUMN notified_at")
    with pytest.raises(StoreError) as err:
        upgrade_store(empty_url)
    assert "missing table report_runs; changes lacks column notified_at" in str(err.value)
    assert "alembic_version" not in _tables(empty_url)


def test_foreign_database_is_refused_and_left_alone(empty_url):
    _sql(empty_url, "CREATE TABLE invoices (id integer primary key)")
    for attempt in (open_store, upgrade_store):
        with pytest.raises(StoreError, match=r"not a trialwatch store \(it holds other tables: "):
            attempt(empty_url)
    assert _tables(empty_url) == {"invoices"}


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match="Cannot open the database at .*notes.db"):
        open_store(f"sqlite:///{path}")
    assert path.read_bytes().startswith(b"these are my notes")


def test_concurrent_first_upgrades_migrate_once(empty_url):
    """Two processes starting at once on a new store: one migrates, the other waits, both work."""
    code = (
        "import sys; from trialwatch.store.engine import upgrade_store; upgrade_store(sys.argv[1])"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, empty_url], stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    assert _sql(empty_url, "SELECT version_num FROM alembic_version") == [(schema.HEAD_REVISION,)]


def test_a_store_before_change_context_upgrades_and_keeps_its_changes(empty_url):
    """Revision 0003 adds changes.context; the changes logged before it stay, without context."""
    upgrade_store_to(empty_url, "0002")
    _sql(
        empty_url,
        "INSERT INTO changes (nct_id, field, new_value, severity, detected_at) VALUES "
        "('NCT00000102', 'overall_status', 'COMPLETED', 'notable', '2026-11-01 00:00:00')",
    )
    assert store_schema(empty_url).status == "outdated"
    upgrade_store(empty_url)
    assert _sql(empty_url, "SELECT field, context FROM changes") == [("overall_status", None)]
    assert store_schema(empty_url).revision == schema.HEAD_REVISION
