"""Migrations create exactly the tables the code declares, and go down and up again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from treatwise.store import Database
from treatwise.store.migrate import current_revision, downgrade, head_revision, upgrade
from treatwise.store.tables import metadata


def test_migrated_schema_matches_the_tables(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), metadata
        )
    assert diff == []
    assert current_revision(db.url) == head_revision()


def test_naming_convention_names_constraints(db: Database) -> None:
    names = {uq["name"] for uq in inspect(db.engine).get_unique_constraints("subscribers")}
    assert "uq_subscribers_email" in names


def test_downgrade_to_base_and_up_again(db: Database) -> None:
    downgrade(db.url, revision="base")
    assert "subscribers" not in inspect(db.engine).get_table_names()
    upgrade(db.url)
    assert {"subscribers", "consents", "suppressions", "campaigns", "outbox"} <= set(
        inspect(db.engine).get_table_names()
    )
    assert current_revision(db.url) == head_revision()
