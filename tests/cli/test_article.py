"""``treatwise article``: Markdown and HTML output, exit 2 naming valid ids or formats."""

from __future__ import annotations

from typer.testing import CliRunner

from treatwise.cli import app
from treatwise.knowledge import KnowledgeBase
from treatwise.render.pair_guide import render_guide

runner = CliRunner()


def test_markdown_is_the_default(kb: KnowledgeBase) -> None:
    result = runner.invoke(app, ["article", "microneedling", "mesotherapy"])
    assert result.exit_code == 0, result.output
    assert result.stdout == render_guide(kb, "microneedling", "mesotherapy")
    assert "## References" in result.stdout and "[1](#ref-1)" in result.stdout


def test_html(kb: KnowledgeBase) -> None:
    result = runner.invoke(app, ["article", "prp", "topical-minoxidil", "--format", "html"])
    assert result.exit_code == 0
    assert result.stdout == render_guide(kb, "prp", "topical-minoxidil", fmt="html")
    assert '<li id="ref-1">' in result.stdout


def test_unknown_treatment_exits_2() -> None:
    result = runner.invoke(app, ["article", "microneedling", "botox"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("error: B: unknown treatment 'botox'; valid ids: chemical-peel")
    same = runner.invoke(app, ["article", "prp", "prp"])
    assert same.exit_code == 2 and "two different treatments" in same.stderr


def test_unknown_format_exits_2() -> None:
    result = runner.invoke(app, ["article", "prp", "microneedling", "--format", "pdf"])
    assert result.exit_code == 2
    assert "'markdown', 'html'" in " ".join(result.stderr.replace("│", " ").split())


def test_a_pair_that_shares_no_concern_has_no_article(kb: KnowledgeBase) -> None:
    """As on the site (404): exit 2, naming the treatments that do share a concern with A."""
    result = runner.invoke(app, ["article", "topical-minoxidil", "chemical-peel"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("error: B: topical-minoxidil and chemical-peel are not used")
    assert "valid ids: " in result.stderr and "prp" in result.stderr
