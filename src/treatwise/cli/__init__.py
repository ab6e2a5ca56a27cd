"""The ``treatwise`` command line: one module per command group, each a thin wrapper.

Commands parse arguments, call one domain/newsletter function and print.
Exit codes: 0 ok, 1 failure (e.g. invalid knowledge base), 2 bad input. The function
that implements a command is named after it: ``<command>_command`` (``kb validate`` is
``validate_command`` in ``kb.py``); ``common.py`` holds what the commands share.
"""

from __future__ import annotations

import typer

from treatwise.cli import article, compare, decide, export_static, kb, plan, serve
from treatwise.cli import db as db_cli
from treatwise.cli import newsletter as newsletter_cli

app = typer.Typer(
    name="treatwise",
    help="Treatwise: an evidence-graded guide and decision aid for aesthetic skin treatments.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(kb.app, name="kb")
app.add_typer(db_cli.app, name="db")
app.add_typer(newsletter_cli.app, name="newsletter")
app.command("serve")(serve.serve_command)
app.command("decide")(decide.decide_command)
app.command("plan")(plan.plan_command)
app.command("compare")(compare.compare_command)
app.command("article")(article.article_command)
app.command("export-static")(export_static.export_static_command)


def main() -> None:
    """Console-script entry point."""
    app()
