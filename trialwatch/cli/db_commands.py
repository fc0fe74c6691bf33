"""`trialwatch db`: the database schema's revision, shown and upgraded (and, hidden, a new
migration for developers). `trialwatch.cli.main` adds the group to the command line.
"""

from __future__ import annotations

import sys

import click

from trialwatch.cli.context import Context


@click.group()
def db() -> None:
    """The database schema: see where it stands, upgrade it (PostgreSQL needs this once per update).

    \b
    Example:
      trialwatch --config config.toml db current
      trialwatch --config config.toml db upgrade
    """


@db.command("upgrade")
@click.pass_obj
def db_upgrade(obj: Context) -> None:
    """Create the tables, or migrate them to this trialwatch's schema revision.

    Running it again does nothing. Back up a database that holds data first.

    \b
    Example:
      trialwatch --config config.toml db upgrade
    """
    from trialwatch.store import engine as store
    from trialwatch.store import schema

    config = obj.config()
    before = store.upgrade_store(config.database_url)
    head = schema.HEAD_REVISION
    done = {
        "current": f"already at schema revision {head}, the newest; nothing to do",
        "empty": f"created the tables (schema revision {head})",
        "unversioned": f"adopted the existing tables and brought them to schema revision {head}",
    }.get(before.status, f"upgraded from schema revision {before.revision} to {head}")
    obj.echo(f"{store.safe_url(config.database_url)}: {done}")


@db.command("current")
@click.pass_obj
def db_current(obj: Context) -> None:
    """Show the database's schema revision; exit 1 when it needs `db upgrade`.

    \b
    Example:
      trialwatch --config config.toml db current
    """
    from trialwatch.store import engine as store
    from trialwatch.store import schema

    config = obj.config()
    state = store.store_schema(config.database_url)
    where = store.safe_url(config.database_url)
    if state.status != "current":
        hint = f" --config {config.path}"
        click.echo(schema.refusal(state, where, hint), err=True)
        sys.exit(1)
    obj.echo(f"{where}: schema revision {state.revision} (up to date)")


@db.command("revision", hidden=True)
@click.option("-m", "--message", required=True, help="What the schema change does.")
def db_revision(message: str) -> None:
    """For developers: write the next migration from the difference between models.py and
    the newest revision. Review the new file, then run `ruff format` on it.

    \b
    Example:
      trialwatch db revision -m "add studies.locations"
    """
    from trialwatch.store import schema

    click.echo(f"Wrote {schema.new_revision(message)}; review it before committing.")
