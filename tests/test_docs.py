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


def _route_paths(routes: Any, prefix: str = "") -> Iterator[str]:
    for route in routes:
        context = getattr(route, "include_context", None)
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _route_paths(inner.routes, prefix + getattr(context, "prefix", ""))
        elif getattr(route, "path", None):
            yield prefix + route.path


def test_every_web_route_is_documented() -> None:
    from treatwise.config import Settings
    from treatwise.web import create_app

    text = (ROOT / "docs" / "routes.md").read_text(encoding="utf-8")
    app = create_app(Settings())
    paths = set(_route_paths(app.routes))
    assert {"/", "/decide", "/api/v1/assessments", "/feed.xml"} <= paths
    missing = sorted(
        p
        for p in paths
        if f"`GET {p}" not in text
        and f"`POST {p}" not in text
        and f"`{p}" not in text
        and f"GET {p}/" not in text
    )
    assert not missing, f"document these in docs/routes.md: {missing}"


def test_every_setting_is_in_the_env_example() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    missing = [n for n in Settings.model_fields if f"TREATWISE_{n.upper()}=" not in text]
    assert not missing, f"add these to .env.example: {missing}"


def test_python_dash_m_runs_the_same_command_line() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "treatwise", "kb", "validate"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")


def test_pre_commit_runs_what_make_lint_runs() -> None:
    import re

    import yaml

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    make_commands = [
        line.strip().replace("$(BIN)/", ".venv/bin/")
        for line in lint.splitlines()[1:]
        if line.startswith("\t")
    ]
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook["entry"] for repo in config["repos"] for hook in repo["hooks"]]
    assert make_commands and all(re.match(r"\.venv/bin/", c) for c in make_commands)
    assert hooks == make_commands
