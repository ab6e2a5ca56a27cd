"""``treatwise db upgrade``: create or migrate the database at ``TREATWISE_DATABASE_URL``."""

from __future__ import annotations

import typer

from treatwise.config import Settings
from treatwise.store.migrate import current_revision, upgrade

app = typer.Typer(help="Create or migrate the database.", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Database schema commands (Alembic migrations shipped in the package)."""


@app.command("upgrade")
def upgrade_command(
    revision: str = typer.Option("head", help="Target revision (default: the newest)"),
) -> None:
    """Create the tables or migrate them to the newest revision."""
    url = Settings().database_url
    upgrade(url, revision=revision)
    typer.echo(f"database at revision {current_revision(url)}")
