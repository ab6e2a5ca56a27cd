"""`treatwise newsletter subscribers purge-pending` on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest
from support.nlkit import Clock, purge_pending_scenario
from typer.testing import CliRunner

from treatwise.cli import app
from treatwise.newsletter.context import Newsletter


def test_subscribers_purge_pending(
    pg_nl: Newsletter, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TREATWISE_DATABASE_URL", pg_url)
    monkeypatch.setenv("TREATWISE_SECRET_KEY", pg_nl.secret)
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.output

    clock = Clock()
    purge_pending_scenario(replace(pg_nl, clock=clock), clock, invoke)
