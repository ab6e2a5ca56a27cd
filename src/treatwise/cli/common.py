"""The configured knowledge base for a command: loaded once, or exit 1 with a hint."""

from __future__ import annotations

import typer

from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase, KnowledgeBaseError, load


def load_kb(settings: Settings | None = None) -> KnowledgeBase:
    """The configured knowledge base; exit 1 with a hint when it does not load."""
    try:
        return load((settings or Settings()).data_dir)
    except KnowledgeBaseError as exc:
        typer.echo(
            f"error: the knowledge base has {len(exc.problems)} problem(s); "
            "run `treatwise kb validate`",
            err=True,
        )
        raise typer.Exit(1) from None
