"""The safety matrix (domain/safety.py): cells from rows and condition rules, per setting;
the generated docs/safety-matrix.md is current; ``treatwise kb matrix`` prints it.

Regenerate the doc: ``TREATWISE_UPDATE_DOCS=1 .venv/bin/pytest tests/domain/test_safety_matrix.py``.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from types import MappingProxyType
from typing import Any

from support.docs import assert_current
from typer.testing import CliRunner

from treatwise.cli import app
from treatwise.domain.safety import build_matrix
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Contraindication
from treatwise.render.safety import cell_label, matrix_json, matrix_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "safety-matrix.md"


def with_rows(kb: KnowledgeBase, treatment_id: str, condition: str, *rows: dict[str, Any]) -> Any:
    """A KB copy whose treatment has exactly these rows for the condition."""
    treatment = kb.treatments[treatment_id]
    kept = tuple(r for r in treatment.contraindications if r.condition != condition)
    new = tuple(Contraindication.model_validate({"condition": condition, **r}) for r in rows)
    changed = treatment.model_copy(update={"contraindications": kept + new})
    return dataclasses.replace(
        kb, treatments=MappingProxyType({**kb.treatments, treatment_id: changed})
    )


def test_the_doc_is_current(kb: KnowledgeBase) -> None:
    expected = matrix_markdown(kb, build_matrix(kb))
    assert_current(DOC, expected, test_file="tests/domain/test_safety_matrix.py")


def test_every_treatment_and_condition_has_a_cell(kb: KnowledgeBase) -> None:
    matrix = build_matrix(kb)
    assert set(matrix.cells) == {(t, c) for t in kb.treatments for c in kb.conditions}
    assert len(matrix.cells) == len(kb.treatments) * len(kb.conditions)


def test_the_packaged_kb_leaves_no_cell_undecided(kb: KnowledgeBase) -> None:
    assert build_matrix(kb).undecided() == ()


def test_a_none_row_decides_no_known_restriction(kb: KnowledgeBase) -> None:
    changed = with_rows(
        kb, "cryolipolysis", "nickel-allergy", {"level": "none", "text": "No metal."}
    )
    cell = build_matrix(changed).cell("cryolipolysis", "nickel-allergy")
    assert cell.status == "suitable" and cell.uniform
    assert cell_label(cell) == "No known restriction"


def test_the_strictest_row_wins_per_setting(kb: KnowledgeBase) -> None:
    changed = with_rows(
        kb,
        "chemical-peel",
        "recent-radiation",
        {"level": "none", "text": "a", "settings": ["medical", "salon", "home"]},
        {"level": "doctor_review", "text": "b", "settings": ["medical"], "references": ["s61"]},
        {"level": "absolute", "text": "c", "settings": ["salon", "home"], "references": ["s61"]},
    )
    cell = build_matrix(changed).cell("chemical-peel", "recent-radiation")
    assert dict(cell.by_setting) == {
        "medical": "doctor_review",
        "salon": "not_suitable",
        "home": "not_suitable",
    }
    assert cell.status == "not_suitable" and not cell.uniform
    assert cell_label(cell) == "Not suitable in a salon or at home; Doctor first in a clinic"
    assert cell.references == ("s61",)


def test_a_setting_without_a_row_is_undecided(kb: KnowledgeBase) -> None:
    changed = with_rows(
        kb,
        "prp",
        "heart-disease",
        {"level": "caution", "text": "x", "settings": ["medical"], "references": ["s61"]},
    )
    cell = build_matrix(changed).cell("prp", "heart-disease")
    assert dict(cell.by_setting)["medical"] == "caution"
    assert dict(cell.by_setting)["home"] == "undecided"
    assert cell in build_matrix(changed).undecided()


def test_a_condition_rule_counts_for_every_treatment_it_selects(kb: KnowledgeBase) -> None:
    matrix = build_matrix(kb)
    rules = [r for r in kb.rules.rules if "suspicious-lesion" in r.when.conditions_any]
    assert rules, "the data has no rule for a suspicious spot"
    for treatment in kb.treatments:
        cell = matrix.cell(treatment, "suspicious-lesion")
        from_rules = [e for e in cell.entries if e.source == "rule" and e.when is None]
        for entry in from_rules:
            for setting in entry.settings:
                status = dict(cell.by_setting)[setting]
                assert status != "undecided"
                order = ["suitable", "caution", "doctor_review", "wait", "not_suitable"]
                assert order.index(status) >= order.index(entry.status)


def test_a_rule_that_also_needs_a_concern_is_listed_but_does_not_set_the_status(
    kb: KnowledgeBase,
) -> None:
    rule = next((r for r in kb.rules.rules if r.when.conditions_any and r.when.concerns_any), None)
    assert rule is not None
    condition = rule.when.conditions_any[0]
    matrix = build_matrix(kb)
    found = [
        (cell, e)
        for cell in matrix.cells.values()
        if cell.condition == condition
        for e in cell.entries
        if e.rule == rule.id
    ]
    assert found
    for cell, entry in found:
        concern = kb.concerns[rule.when.concerns_any[0]].name.lower()
        assert entry.when is not None and entry.when.startswith(f"for {concern}")
        row_only = [e for e in cell.entries if e.when is None]
        if not row_only:
            assert all(s == "undecided" for _, s in cell.by_setting)


def test_markdown_shows_no_rule_or_reference_ids(kb: KnowledgeBase) -> None:
    text = matrix_markdown(kb, build_matrix(kb))
    assert not re.search(r"\bR[0-9]{2}[a-z]?\b", text)
    body = re.sub(r"\]\([^)]*\)", "]", text)  # leave the links' addresses out
    for ref_id in kb.references:
        assert not re.search(rf"(?<![\w/.-]){re.escape(ref_id)}(?![\w-])", body), ref_id


def test_markdown_numbers_every_cited_source_with_its_link(kb: KnowledgeBase) -> None:
    text = matrix_markdown(kb, build_matrix(kb))
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    listed = [int(n) for n in re.findall(r"^(\d+)\. ", text, re.MULTILINE)]
    assert listed == list(range(1, len(listed) + 1))
    assert cited == set(listed)


def test_json_has_every_cell_with_its_entries(kb: KnowledgeBase) -> None:
    data = json.loads(matrix_json(build_matrix(kb)))
    assert len(data["cells"]) == len(kb.treatments) * len(kb.conditions)
    for cell in data["cells"]:
        assert set(cell["by_setting"]) == {"medical", "salon", "home"}
        for entry in cell["entries"]:
            assert set(entry["references"]) <= set(kb.references)
            if entry["status"] != "suitable":
                assert entry["references"], (cell["treatment"], cell["condition"])


def test_cli_prints_the_doc_and_the_json(kb: KnowledgeBase) -> None:
    runner = CliRunner()
    markdown = runner.invoke(app, ["kb", "matrix"])
    assert markdown.exit_code == 0
    assert markdown.output == matrix_markdown(kb, build_matrix(kb))
    as_json = runner.invoke(app, ["kb", "matrix", "--format", "json"])
    assert as_json.exit_code == 0 and json.loads(as_json.output)["treatments"]


def test_cli_refuses_an_unknown_format() -> None:
    result = CliRunner().invoke(app, ["kb", "matrix", "--format", "xml"])
    assert result.exit_code == 2
    assert "'markdown'" in result.output and "'json'" in result.output
