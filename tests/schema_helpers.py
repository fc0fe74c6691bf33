"""Schema test helpers: an empty database on each backend, a synthetic later revision."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import pg_schema
from trialwatch.store import schema
from trialwatch.store.engine import make_engine


@contextmanager
def empty_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all: a new SQLite file or an empty PostgreSQL schema."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with pg_schema() as url:
        yield url


# A later revision, synthetic: a copy of the real scripts plus this made-up migration.
LATER_REVISION = '''"""Synthetic test revision: add changes.note."""

import sqlalchemy as sa
from alembic import op

revision = "0999"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("changes") as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("changes") as batch_op:
        batch_op.drop_column("note")
'''


def use_later_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point trialwatch at migration scripts whose head is one synthetic revision past ours."""
    scripts = tmp_path / "migrations"
    shutil.copytree(Path(schema.__file__).parent / "migrations", scripts)
    down = schema.HEAD_REVISION
    (scripts / "versions" / "0999_synthetic.py").write_text(LATER_REVISION.format(down=down))
    monkeypatch.setattr(schema, "SCRIPT_LOCATION", str(scripts))
    monkeypatch.setattr(schema, "HEAD_REVISION", "0999")
    return down


def upgrade_store_to(url: str, revision: str) -> None:
    from alembic import command

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            command.upgrade(schema.alembic_config(conn), revision)
    finally:
        engine.dispose()


def downgrade_store_to(url: str, revision: str) -> None:
    from alembic import command

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            command.downgrade(schema.alembic_config(conn), revision)
    finally:
        engine.dispose()
