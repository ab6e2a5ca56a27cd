"""``treatwise kb validate|schema``: check the knowledge base, print its JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel

from treatwise.domain.safety import build_matrix
from treatwise.knowledge import KnowledgeBase, KnowledgeBaseError, load
from treatwise.knowledge.articles import ArticleMeta, dated_after, gate
from treatwise.knowledge.schema import Concern, Condition, Reference, Rules, Treatment
from treatwise.render.safety import matrix_json, matrix_markdown

app = typer.Typer(help="Check and describe the knowledge base.", no_args_is_help=True)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Knowledge-base folder (default: the packaged one)"),
]


@app.command()
def validate(data_dir: DataDir = None) -> None:
    """Validate every data file; print each problem with its file and field."""
    try:
        kb = load(data_dir)
    except KnowledgeBaseError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        typer.echo(f"{len(exc.problems)} problem(s) found", err=True)
        raise typer.Exit(1) from None
    _article_warnings(kb)
    typer.echo(
        f"ok: {len(kb.treatments)} treatments, {len(kb.concerns)} concerns, "
        f"{len(kb.conditions)} conditions, {len(kb.references)} references, "
        f"{len(kb.rules.rules)} rules, {len(kb.articles)} articles (version {kb.version})"
    )


def _article_warnings(kb: KnowledgeBase) -> None:
    """Readability above the warning grade, uncited references, dates in the future."""
    today = dt.date.today()
    for slug, article in sorted(kb.articles.items()):
        for where, message in [*gate(article).warnings, *dated_after(article, today)]:
            typer.echo(f"warning: articles/{slug}.md: {where}: {message}", err=True)


SCHEMAS: dict[str, type[BaseModel]] = {
    "treatment": Treatment,
    "reference": Reference,
    "concern": Concern,
    "condition": Condition,
    "rules": Rules,
    "article": ArticleMeta,
}


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file")] = None,
) -> None:
    """Print the JSON Schema of the data files, for editors."""
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Treatwise knowledge base",
        "$defs": {name: model.model_json_schema(by_alias=True) for name, model in SCHEMAS.items()},
    }
    text = json.dumps(document, indent=2, sort_keys=True)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"wrote {output}")
    else:
        typer.echo(text)


class MatrixFormat(StrEnum):
    markdown = "markdown"
    json = "json"


@app.command()
def matrix(
    data_dir: DataDir = None,
    format: Annotated[
        MatrixFormat, typer.Option("--format", help="markdown (docs/safety-matrix.md) or json")
    ] = MatrixFormat.markdown,
) -> None:
    """Print the safety matrix: every treatment × condition, its status, why, and the sources."""
    try:
        kb = load(data_dir)
    except KnowledgeBaseError as exc:
        typer.echo(
            f"the knowledge base has {len(exc.problems)} problem(s): run `treatwise kb validate`",
            err=True,
        )
        raise typer.Exit(1) from None
    grid = build_matrix(kb)
    text = matrix_json(grid) if format is MatrixFormat.json else matrix_markdown(kb, grid)
    typer.echo(text, nl=False)
