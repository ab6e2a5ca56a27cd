"""The ordered vocabulary: one direction per order, and helpers that agree with it."""

from __future__ import annotations

from treatwise.knowledge.schema import EVIDENCE_LEVELS
from treatwise.knowledge.vocabulary import (
    CONTRAINDICATION_LEVELS,
    EVIDENCE_RANK,
    LEVEL_RANK,
    NOT_A_USE,
    STATUSES,
    STRICTNESS,
    SUPPORTED,
    USES,
    at_least,
    stricter,
    strictest,
    stronger,
    strongest_first,
    weaker,
)
from treatwise.knowledge.words import WORDS


def test_evidence_ranks_higher_for_better_supported() -> None:
    ranks = [EVIDENCE_RANK[level] for level in EVIDENCE_LEVELS]
    assert ranks == sorted(ranks, reverse=True) and len(set(ranks)) == len(ranks)
    assert EVIDENCE_RANK["high"] > EVIDENCE_RANK["very_low"] > EVIDENCE_RANK["advised_against"]


def test_evidence_helpers() -> None:
    assert stronger("low", "high") == "high" and stronger("high", "low") == "high"
    assert weaker("low", "high") == "low" and weaker("moderate", "not_indicated") == "not_indicated"
    assert at_least("moderate", "low") and at_least("low", "low")
    assert not at_least("very_low", "low")
    assert sorted(["low", "high", "advised_against"], key=strongest_first) == [
        "high",
        "low",
        "advised_against",
    ]


def test_uses_and_not_a_use_split_the_levels() -> None:
    assert set(EVIDENCE_LEVELS) == USES | NOT_A_USE and not USES & NOT_A_USE
    assert SUPPORTED < USES and "very_low" not in SUPPORTED


def test_statuses_strictest_first() -> None:
    assert STATUSES[0] == "not_suitable" and STATUSES[-1] == "suitable"
    assert [STRICTNESS[s] for s in STATUSES] == sorted(STRICTNESS.values(), reverse=True)
    assert stricter("caution", "wait") == "wait" and stricter("wait", "caution") == "wait"


def test_contraindication_levels_strictest_first() -> None:
    assert [LEVEL_RANK[c] for c in CONTRAINDICATION_LEVELS] == [4, 3, 2, 1, 0]
    assert strictest(()) == "none" and strictest(("caution", "temporary")) == "temporary"


def test_every_id_has_words() -> None:
    for name in ("evidence_labels", "evidence_short", "evidence_phrases"):
        assert set(WORDS[name]) == set(EVIDENCE_LEVELS), name
    for name in ("status_labels", "status_phrases", "status_sentences"):
        assert set(WORDS[name]) == set(STATUSES), name
    restricting = set(CONTRAINDICATION_LEVELS) - {"none"}
    assert set(WORDS["level_labels"]) == restricting == set(WORDS["level_status"])
    assert set(WORDS["level_status"].values()) <= set(STATUSES)
    assert set(WORDS["level_phrases"]) == set(CONTRAINDICATION_LEVELS)
