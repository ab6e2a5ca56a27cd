"""``treatwise article A B``: the generated comparison article as Markdown or HTML.

The article is written from the data alone (see ``treatwise.render.pair_guide``).
An unknown treatment, the same one twice or an unknown ``--format`` exits 2
with a message listing the valid values; so does a pair that shares no
concern (the site has no article for it either: there is no choice to make
between them), naming the treatments that do share one with A. A knowledge
base that does not load exits 1.
"""

from __future__ import annotations

from typing import Annotated

import typer

from treatwise.cli.common import BAD_INPUT, load_kb
from treatwise.cli.compare import (
    FORMAT_OPTION,
    FirstTreatment,
    SecondTreatment,
    compare_pair,
)
from treatwise.cli.formats import ArticleFormat
from treatwise.domain.articles import shared_concerns, treatment_order
from treatwise.render.pair_guide import guide_markdown, markdown_to_html, render_page


def article_command(
    a: FirstTreatment,
    b: SecondTreatment,
    output_format: Annotated[ArticleFormat, FORMAT_OPTION] = ArticleFormat.markdown,
) -> None:
    """Write a complete article comparing two treatments, with numbered references."""
    kb = load_kb()
    comparison = compare_pair(kb, a, b)
    if not shared_concerns(kb, a, b):
        others = [t for t in treatment_order(kb) if t != a and shared_concerns(kb, a, t)]
        typer.echo(
            f"error: B: {a} and {b} are not used for any of the same concerns, so there is "
            f"no article comparing them; valid ids: {', '.join(others)}",
            err=True,
        )
        raise typer.Exit(BAD_INPUT)
    markdown = guide_markdown(kb, comparison)
    if output_format is ArticleFormat.html:
        typer.echo(render_page(comparison, markdown_to_html(markdown)), nl=False)
    else:
        typer.echo(markdown, nl=False)
