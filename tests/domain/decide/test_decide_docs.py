"""docs/decision-aid.md carries the rule tables generated from the data, and they are current.

Regenerate: ``TREATWISE_UPDATE_DOCS=1 .venv/bin/pytest tests/domain/decide/test_decide_docs.py``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from treatwise.domain.safety import build_matrix
from treatwise.knowledge import KnowledgeBase
from treatwise.render.assessment import rules_markdown
from treatwise.render.safety import rows_markdown

DOC = Path(__file__).resolve().parents[3] / "docs" / "decision-aid.md"
BLOCK = re.compile(r"(<!-- rules:start -->\n)(.*?)(<!-- rules:end -->)", re.DOTALL)


def test_rule_tables_in_the_docs_are_current(kb: KnowledgeBase) -> None:
    text = DOC.read_text(encoding="utf-8")
    match = BLOCK.search(text)
    assert match, "docs/decision-aid.md lacks the <!-- rules:start/end --> markers"
    expected = rules_markdown(kb)
    if os.environ.get("TREATWISE_UPDATE_DOCS") == "1":
        DOC.write_text(text[: match.start(2)] + expected + text[match.end(2) :], encoding="utf-8")
        return
    assert match.group(2) == expected, (
        "the rule tables are out of date: run "
        "TREATWISE_UPDATE_DOCS=1 .venv/bin/pytest tests/domain/decide/test_decide_docs.py"
    )


def test_every_rule_id_of_the_data_is_in_the_docs(kb: KnowledgeBase) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert all(f"| {rule.id} |" in text for rule in kb.rules.rules)


ROWS = re.compile(r"(<!-- rows:start -->\n)(.*?)(<!-- rows:end -->)", re.DOTALL)


def test_every_treatments_rows_in_the_docs_are_current(kb: KnowledgeBase) -> None:
    """docs/decision-aid.md lists, for every treatment, its rows and their sources (issue 11)."""
    text = DOC.read_text(encoding="utf-8")
    match = ROWS.search(text)
    assert match, "docs/decision-aid.md lacks the <!-- rows:start/end --> markers"
    expected = rows_markdown(kb, build_matrix(kb))
    if os.environ.get("TREATWISE_UPDATE_DOCS") == "1":
        DOC.write_text(text[: match.start(2)] + expected + text[match.end(2) :], encoding="utf-8")
        return
    assert match.group(2) == expected, (
        "the per-treatment rows are out of date: run "
        "TREATWISE_UPDATE_DOCS=1 .venv/bin/pytest tests/domain/decide/test_decide_docs.py"
    )


def test_every_treatment_has_its_rows_section_in_the_docs(kb: KnowledgeBase) -> None:
    text = DOC.read_text(encoding="utf-8")
    for treatment in kb.treatments.values():
        assert f"#### {treatment.name} (`{treatment.id}`)" in text
