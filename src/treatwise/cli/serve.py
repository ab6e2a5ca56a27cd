"""``treatwise serve``: run the web app under granian (chosen by measurement, see bench/)."""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import ValidationError

from treatwise.config import Settings


def serve(
    host: Annotated[str, typer.Option(help="Address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes", min=1, max=64)] = 1,
) -> None:
    """Serve Treatwise over HTTP (the settings come from TREATWISE_* variables)."""
    from granian import Granian
    from granian.constants import Interfaces

    try:
        Settings()  # fail fast, in the parent, on a bad configuration
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]) or "settings"
            typer.echo(f"error: {where}: {error['msg']}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Treatwise on http://{host}:{port} ({workers} worker(s)); Ctrl+C stops it")
    Granian(
        "treatwise.web.app:asgi",
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        factory=True,
        log_access=False,
    ).serve()
