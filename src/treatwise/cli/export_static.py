"""``treatwise export-static DIR``: every content page as files any static server can serve.

The crawler is :mod:`treatwise.web.export`; this command loads the settings and
the knowledge base, shows progress and reports what was written. Any internal
link that does not answer 200 is reported as broken, and the command exits 1.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from treatwise.cli.common import BAD_INPUT, load_kb
from treatwise.config import Settings

if TYPE_CHECKING:  # the web stack loads only when the command runs
    from treatwise.web.export import Export


def export_static_command(
    directory: Annotated[Path, typer.Argument(help="Folder to write the site into")],
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Public URL for canonical links and feeds")
    ] = None,
) -> None:
    """Write every content page, the feed, the sitemap and the assets as static files."""
    settings = Settings()
    if base_url is not None:
        if not re.match(r"^https?://[^/\s]+", base_url):
            typer.echo(
                "--base-url: expected an absolute http(s) URL, e.g. https://example.org", err=True
            )
            raise typer.Exit(BAD_INPUT)
        settings = settings.model_copy(update={"base_url": base_url.rstrip("/")})
    kb = load_kb(settings)
    # the web stack loads only for this command
    from treatwise.web.app import create_app
    from treatwise.web.export import SEEDS, export

    root = directory.resolve()
    root.mkdir(parents=True, exist_ok=True)
    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description:<40}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("Exporting", total=len(SEEDS))

        def advance(path: str, done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, description=_short(path))

        result = asyncio.run(export(create_app(settings, kb), root, advance))
    _report(result, root)


def _report(result: Export, root: Path) -> None:
    from treatwise.web.export import app_prefixes

    pages = sum(1 for p in result.written.values() if p.name == "index.html")
    typer.echo(
        f"exported {pages} pages and {len(result.written) - pages} other files "
        f"({result.bytes / 1024:.0f} KiB) to {root}"
    )
    if result.app_links:
        typer.echo(
            "served by the app, not exported: " + ", ".join(sorted(app_prefixes(result.app_links)))
        )
    if result.broken:
        for path, where in sorted(result.broken.items()):
            typer.echo(
                f"broken link: {path} (linked from {', '.join(sorted(set(where))[:3])})", err=True
            )
        raise typer.Exit(1)


def _short(path: str) -> str:
    return path if len(path) <= 40 else path[:37] + "..."
