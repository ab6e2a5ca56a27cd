"""``treatwise article A B``: the generated comparison article as Markdown or HTML.

The article is written from the data alone (see ``treatwise.render.pair_guide``).
An unknown treatment, the same one twice or an unknown ``--format`` exits 2
with a message listing the valid values; a knowledge base that does not load
exits 1.
"""

from __future__ import annotations

from typing import Annotated

import typer

from treatwise.cli.common import load_kb
from treatwise.cli.compare import (
    FORMAT_OPTION,
    FirstTreatment,
    SecondTreatment,
    compare_pair,
)
from treatwise.cli.formats import ArticleFormat
from treatwise.render.pair_guide import guide_markdown, markdown_to_html, render_page


def article_command(
    a: FirstTreatment,
    b: SecondTreatment,
    output_format: Annotated[ArticleFormat, FORMAT_OPTION] = ArticleFormat.markdown,
) -> None:
    """Write a complete article comparing two treatments, with numbered references."""
    kb = load_kb()
    comparison = compare_pair(kb, a, b)
    markdown = guide_markdown(kb, comparison)
    if output_format is ArticleFormat.html:
        typer.echo(render_page(comparison, markdown_to_html(markdown)), nl=False)
    else:
        typer.echo(markdown, nl=False)
