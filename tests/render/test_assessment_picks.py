"""The plain-words helpers of the decision aid's answer: picks, first sentences, not-sure lines."""

from __future__ import annotations

import pytest

from treatwise.domain.decide import assess, parse_intake
from treatwise.knowledge import KnowledgeBase
from treatwise.render.assessment import first_sentence, picks, unsure_headline


def test_one_pick_per_concern_with_reason_benefit_and_harms(kb: KnowledgeBase) -> None:
    intake = parse_intake(kb, {"age": 42, "concerns": ["acne-scars", "double-chin"]})
    result = assess(kb, intake)
    found = {p.concern: p for p in picks(kb, result)}
    assert list(found) == ["acne-scars", "double-chin"]
    chin = found["double-chin"]
    assert chin.treatment == result.best_by_concern["double-chin"] == "deoxycholic-acid"
    assert chin.reason.startswith(kb.treatments["deoxycholic-acid"].name)
    assert "double chin" in chin.reason
    assert chin.benefit and chin.benefit.endswith(".")
    assert chin.harms and any(any(ch.isdigit() for ch in h) for h in chin.harms)  # figures
    assert set(chin.references) <= set(kb.references)


def test_a_concern_without_an_open_supported_option_says_so(kb: KnowledgeBase) -> None:
    intake = parse_intake(
        kb, {"age": 30, "sex": "female", "concerns": ["acne-scars"], "conditions": ["pregnant"]}
    )
    (pick,) = picks(kb, assess(kb, intake))
    assert pick.treatment is None and pick.harms == ()
    assert "No option open to you now" in pick.reason


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("One trial of 20 people. Another of 30.", "One trial of 20 people."),
        ("Improved 2.5 points (p < 0.05). More text.", "Improved 2.5 points (p < 0.05)."),
        ("No full stop here", "No full stop here"),
        ("Split  over\n lines. Next.", "Split over lines."),
    ],
)
def test_first_sentence(text: str, first: str) -> None:
    assert first_sentence(text) == first


def test_unsure_headline() -> None:
    assert unsure_headline(1) == "You were not sure about 1 question; settle it first"
    assert unsure_headline(3) == "You were not sure about 3 questions; settle them first"
