"""``treatwise compare``: formats, exit code 2 naming the valid ids or formats, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from treatwise.cli import app
from treatwise.domain.compare import ROW_IDS, compare
from treatwise.knowledge import KnowledgeBase
from treatwise.render.compare import comparison_json, comparison_markdown

runner = CliRunner()


def test_json_has_every_row_with_references(kb: KnowledgeBase) -> None:
    result = runner.invoke(app, ["compare", "microneedling", "mesotherapy", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stdout == comparison_json(compare(kb, "microneedling", "mesotherapy"), kb)
    doc = json.loads(result.stdout)
    assert [row["id"] for row in doc["rows"]] == list(ROW_IDS)
    assert all(row[s]["references"] for row in doc["rows"] for s in ("a", "b"))


def test_markdown_and_table(kb: KnowledgeBase) -> None:
    md = runner.invoke(app, ["compare", "prp", "microneedling", "--format", "markdown"])
    assert md.exit_code == 0
    assert md.stdout == comparison_markdown(compare(kb, "prp", "microneedling"), kb)
    table = runner.invoke(app, ["compare", "microneedling", "mesotherapy"], env={"COLUMNS": "300"})
    assert table.exit_code == 0
    assert "Microneedling vs Mesotherapy" in table.stdout
    assert "Who should not have it" in table.stdout and "Sources" in table.stdout
    upper = runner.invoke(app, ["compare", "microneedling", "mesotherapy", "--format", "JSON"])
    assert upper.exit_code == 0 and upper.stdout.startswith("{")


@pytest.mark.parametrize(
    ("args", "field"),
    [(["botox", "mesotherapy"], "A"), (["microneedling", "Botox"], "B"), (["prp", "prp"], "B")],
)
def test_bad_treatment_exits_2_with_valid_ids(args: list[str], field: str) -> None:
    result = runner.invoke(app, ["compare", *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {field}: ")
    assert "valid ids: chemical-peel, cryolipolysis" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_bad_format_exits_2_listing_formats() -> None:
    result = runner.invoke(app, ["compare", "microneedling", "mesotherapy", "--format", "xml"])
    assert result.exit_code == 2
    flat = " ".join(result.stderr.replace("│", " ").split())
    assert "'xml' is not one of 'table', 'markdown', 'json'" in flat


def test_missing_argument_exits_2() -> None:
    assert runner.invoke(app, ["compare", "microneedling"]).exit_code == 2


def test_broken_knowledge_base_exits_1(tmp_path: Path) -> None:
    (tmp_path / "references.yaml").write_text("references: [")
    result = runner.invoke(app, ["compare", "a", "b"], env={"TREATWISE_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 1
    assert "treatwise kb validate" in result.stderr and "Traceback" not in result.output
