"""``treatwise compare A B``: two treatments side by side as a table, Markdown or JSON.

An unknown treatment (or the same one twice) exits with code 2 and a message
listing the valid ids; an unknown ``--format`` exits 2 listing the formats.
A knowledge base that does not load exits 1 with a hint.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from treatwise.cli.common import BAD_INPUT, load_kb
from treatwise.cli.formats import CompareFormat
from treatwise.domain.compare import CompareError, Comparison, compare
from treatwise.knowledge import KnowledgeBase
from treatwise.render.compare import comparison_json, comparison_markdown, comparison_table

ARGUMENTS = {"a": "A", "b": "B"}

# The two treatment arguments and the --format option, shared by `compare` and `article`.
FirstTreatment = Annotated[
    str, typer.Argument(metavar="A", help="First treatment id, e.g. microneedling")
]
SecondTreatment = Annotated[
    str, typer.Argument(metavar="B", help="Second treatment id, e.g. mesotherapy")
]
FORMAT_OPTION = typer.Option("--format", help="Output format", case_sensitive=False)


def compare_pair(kb: KnowledgeBase, a: str, b: str) -> Comparison:
    """``compare(kb, a, b)``, or exit 2 naming the argument and the valid ids."""
    try:
        return compare(kb, a, b)
    except CompareError as exc:
        valid = f"; valid ids: {', '.join(exc.valid)}" if exc.valid else ""
        typer.echo(f"error: {ARGUMENTS.get(exc.field, exc.field)}: {exc.message}{valid}", err=True)
        raise typer.Exit(BAD_INPUT) from None


def compare_command(
    a: FirstTreatment,
    b: SecondTreatment,
    output_format: Annotated[CompareFormat, FORMAT_OPTION] = CompareFormat.table,
) -> None:
    """Compare two treatments row by row, every cell with its numbered sources."""
    kb = load_kb()
    comparison = compare_pair(kb, a, b)
    if output_format is CompareFormat.json:
        typer.echo(comparison_json(comparison, kb), nl=False)
    elif output_format is CompareFormat.markdown:
        typer.echo(comparison_markdown(comparison, kb), nl=False)
    else:
        Console(soft_wrap=False).print(comparison_table(comparison, kb))
