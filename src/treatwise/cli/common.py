"""What the commands share: the exit code for bad input, and the configured knowledge base
(loaded once, or exit 1 with a hint). Command modules are named after their command
(``kb.py`` holds the ``kb`` commands); this one is a helper, not a command."""

from __future__ import annotations

import typer

from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase, KnowledgeBaseError, load

BAD_INPUT = 2
"""Exit code for bad input (the message names the option and the valid values)."""


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
