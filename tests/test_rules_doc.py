"""docs/rules.md lists every rule id of the data with its sources, and is current.

Regenerate: ``TREATWISE_UPDATE_DOCS=1 .venv/bin/pytest tests/test_rules_doc.py``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from support.docs import assert_current

from treatwise.knowledge import KnowledgeBase
from treatwise.render.rules_doc import rules_doc

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_rules_doc_is_current(kb: KnowledgeBase) -> None:
    assert_current(DOC, rules_doc(kb), test_file="tests/test_rules_doc.py")


def test_every_rule_id_of_the_data_has_a_section_with_sources(kb: KnowledgeBase) -> None:
    ids = {rule.id for rule in kb.rules.rules} | {
        row.rule for t in kb.treatments.values() for row in t.contraindications if row.rule
    }
    text = rules_doc(kb)
    sections = dict(re.findall(r"^## (R\w+)[^\n]*\n(.*?)(?=^## |\Z)", text, re.S | re.M))
    assert set(sections) == ids
    for rule_id, body in sections.items():
        assert "Sources:\n\n- `" in body, rule_id


def test_a_stale_doc_is_noticed(kb: KnowledgeBase) -> None:
    first = next(iter(kb.treatments.values()))
    row = next(r for r in first.contraindications if r.rule)
    changed = first.model_copy(
        update={
            "contraindications": tuple(
                r.model_copy(update={"level": "caution" if r.level != "caution" else "absolute"})
                if r is row
                else r
                for r in first.contraindications
            )
        }
    )
    other = replace(kb, treatments={**kb.treatments, first.id: changed})
    assert rules_doc(other) != rules_doc(kb)
