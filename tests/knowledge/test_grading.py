"""The grading rule (knowledge/grading.py): one test per branch, and the doc that explains it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.grading import START, above, downgrades, grade
from treatwise.knowledge.schema import Basis

DOC = Path(__file__).resolve().parents[2] / "docs" / "evidence-grades.md"


def b(**fields: Any) -> Basis:
    return Basis.model_validate(fields)


@pytest.mark.parametrize(
    ("design", "level"),
    [
        ("systematic-review", "high"),
        ("rct", "moderate"),
        ("controlled", "low"),
        ("uncontrolled", "low"),
        ("case-reports", "very_low"),
        ("expert-opinion", "very_low"),
        ("none", "very_low"),
    ],
)
def test_each_design_starts_at_its_level_when_nothing_lowers_it(design: str, level: str) -> None:
    big = {"trials": 5, "participants": 1000}
    assert grade(b(design=design, **big)) == level


def test_negative_evidence_is_advised_against_whatever_the_design() -> None:
    assert grade(b(design="systematic-review", trials=9, participants=900, negative=True)) == (
        "advised_against"
    )


@pytest.mark.parametrize(
    ("trials", "participants", "level"),
    [(3, 300, "high"), (2, 900, "moderate"), (5, 299, "moderate"), (5, None, "moderate")],
)
def test_a_small_systematic_review_loses_a_level(
    trials: int, participants: int | None, level: str
) -> None:
    assert grade(b(design="systematic-review", trials=trials, participants=participants)) == level


@pytest.mark.parametrize(
    ("trials", "participants", "level"),
    [(1, 99, "low"), (1, None, "low"), (0, 40, "low"), (1, 100, "moderate"), (2, 40, "moderate")],
)
def test_a_single_small_trial_loses_a_level(
    trials: int, participants: int | None, level: str
) -> None:
    assert grade(b(design="rct", trials=trials, participants=participants)) == level


@pytest.mark.parametrize(
    ("participants", "level"), [(49, "very_low"), (None, "very_low"), (50, "low")]
)
def test_small_uncontrolled_studies_lose_a_level(participants: int | None, level: str) -> None:
    assert grade(b(design="uncontrolled", participants=participants)) == level


def test_a_small_controlled_study_is_not_lowered_for_its_size() -> None:
    assert grade(b(design="controlled", participants=10)) == "low"


def test_indirect_studies_lose_a_level() -> None:
    assert grade(b(design="rct", trials=4, participants=400, direct=False)) == "low"


def test_inconsistent_results_lose_a_level() -> None:
    assert grade(b(design="systematic-review", trials=4, participants=400, consistent=False)) == (
        "moderate"
    )


def test_downgrades_add_up() -> None:
    basis = b(design="systematic-review", trials=1, participants=50, direct=False)
    assert len(downgrades(basis)) == 2
    assert grade(basis) == "low"


def test_never_below_very_low() -> None:
    basis = b(design="uncontrolled", participants=5, direct=False, consistent=False)
    assert len(downgrades(basis)) == 3
    assert grade(basis) == "very_low"


def test_settings_do_not_change_the_grade() -> None:
    """Setting directness is the decision aid's business (screening), not the stated grade's."""
    assert grade(b(design="rct", trials=3, participants=300, settings=["home"])) == "moderate"


@pytest.mark.parametrize(
    ("stated", "computed", "too_high"),
    [
        ("moderate", "low", True),
        ("low", "low", False),
        ("very_low", "low", False),
        ("very_low", "advised_against", True),
        ("not_indicated", "very_low", False),
        ("advised_against", "high", False),
    ],
)
def test_above(stated: Any, computed: Any, too_high: bool) -> None:
    assert above(stated, computed) is too_high


def test_every_stated_grade_in_the_kb_is_within_its_basis(kb: KnowledgeBase) -> None:
    for treatment in kb.treatments.values():
        for ind in treatment.indications:
            if ind.basis is not None:
                assert not above(ind.evidence, grade(ind.basis)), (treatment.id, ind.concern)


def test_the_docs_table_matches_the_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| [^|]+ \| ([a-z ]+) \|$", text, re.MULTILINE))
    assert rows == {design: level.replace("_", " ") for design, level in START.items()}
    for figure in ("3 controlled trials", "300 people", "100 people", "50 people"):
        assert figure in text
