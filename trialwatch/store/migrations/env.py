"""Alembic environment for trialwatch's schema.

Run through `trialwatch.store.schema` (`trialwatch db upgrade`), which builds the Alembic config
in code and hands over an open connection in `config.attributes["connection"]`; no alembic.ini
is needed.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import JSON, TypeDecorator

from trialwatch.store.models import Base, UTCDateTime


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write the models' own column types as plain SQLAlchemy ones, as 0001_initial_schema spells
    them: a revision must never import the live models (they move on; a revision must not)."""
    if type_ != "type":
        return False
    if isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, JSON) or (
        isinstance(obj, TypeDecorator) and isinstance(obj.impl_instance, JSON)
    ):
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return 'sa.JSON().with_variant(postgresql.JSONB(), "postgresql")'  # JSONB on PostgreSQL
    return False


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "trialwatch migrations need a connection from trialwatch.store.schema; "
            "run `trialwatch db upgrade` instead of the alembic command"
        )
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things: batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("trialwatch migrations run online only (`trialwatch db upgrade`)")
run_migrations()
