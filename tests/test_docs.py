"""Docs that are tested: every setting and every CLI command is documented."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer.main

from treatwise.cli import app
from treatwise.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    missing = [n for n in Settings.model_fields if f"TREATWISE_{n.upper()}" not in text]
    assert not missing, f"document these in docs/operations.md: {missing}"


def _commands(group: Any, prefix: str) -> Iterator[str]:
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if hasattr(command, "commands"):  # a group (typer vendors click)
            yield from _commands(command, path)
        else:
            yield path


def test_every_cli_command_is_documented() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    commands = list(_commands(group, "treatwise"))
    assert "treatwise kb validate" in commands
    missing = [c for c in commands if f"`{c}" not in text]
    assert not missing, f"document these in docs/cli.md: {missing}"


def test_readme_shows_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text
