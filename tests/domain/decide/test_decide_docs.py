"""docs/decision-aid.md carries the rule tables generated from the data, and they are current.

Regenerate: ``TREATWISE_UPDATE_DOCS=1 .venv/bin/pytest tests/domain/decide/test_decide_docs.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

from support.docs import assert_current

from treatwise.domain.safety import build_matrix
from treatwise.knowledge import KnowledgeBase
from treatwise.render.assessment import rules_markdown
from treatwise.render.safety import rows_markdown

DOC = Path(__file__).resolve().parents[3] / "docs" / "decision-aid.md"
BLOCK = re.compile(r"(<!-- rules:start -->\n)(.*?)(<!-- rules:end -->)", re.DOTALL)


def test_rule_tables_in_the_docs_are_current(kb: KnowledgeBase) -> None:
    assert_current(DOC, rules_markdown(kb), test_file=THIS, block=BLOCK)


def test_every_rule_id_of_the_data_is_in_the_docs(kb: KnowledgeBase) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert all(f"| {rule.id} |" in text for rule in kb.rules.rules)


THIS = "tests/domain/decide/test_decide_docs.py"
ROWS = re.compile(r"(<!-- rows:start -->\n)(.*?)(<!-- rows:end -->)", re.DOTALL)


def test_every_treatments_rows_in_the_docs_are_current(kb: KnowledgeBase) -> None:
    """docs/decision-aid.md lists, for every treatment, its rows and their sources (issue 11)."""
    expected = rows_markdown(kb, build_matrix(kb))
    assert_current(DOC, expected, test_file=THIS, block=ROWS)


def test_every_treatment_has_its_rows_section_in_the_docs(kb: KnowledgeBase) -> None:
    text = DOC.read_text(encoding="utf-8")
    for treatment in kb.treatments.values():
        assert f"#### {treatment.name} (`{treatment.id}`)" in text
