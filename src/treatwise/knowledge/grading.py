"""The evidence grade that follows from the studies behind an indication (``Basis``).

The knowledge base states a grade for every (treatment, concern) pair; this
module computes the most that the studies support, and the loader refuses a
stated grade above it. ``docs/evidence-grades.md`` explains the rule in plain
words (a test keeps its table in line with :data:`START` and the steps below).

1. ``negative: true`` gives ``advised_against``.
2. The design sets the starting level (:data:`START`).
3. Go down one level for each of: a systematic review of fewer than 3
   controlled trials or fewer than 300 participants; a single randomized trial
   of fewer than 100 participants; an uncontrolled basis of fewer than 50
   participants (an unknown count counts as too few); indirect studies (a
   neighbouring concern); inconsistent results.
4. Never below ``very_low``.
"""

from __future__ import annotations

from treatwise.knowledge.schema import Basis, EvidenceLevel, StudyDesign

GRADED: tuple[EvidenceLevel, ...] = ("high", "moderate", "low", "very_low")
"""The levels a grade can take, strongest first (``advised_against`` aside)."""

START: dict[StudyDesign, EvidenceLevel] = {
    "systematic-review": "high",
    "rct": "moderate",
    "controlled": "low",
    "uncontrolled": "low",
    "case-reports": "very_low",
    "expert-opinion": "very_low",
    "none": "very_low",
}
"""The level each study design starts from."""

REVIEW_MIN_TRIALS = 3
REVIEW_MIN_PARTICIPANTS = 300
RCT_MIN_PARTICIPANTS = 100
UNCONTROLLED_MIN_PARTICIPANTS = 50


def _few(count: int | None, minimum: int) -> bool:
    """Fewer than ``minimum``; an unknown count counts as too few."""
    return count is None or count < minimum


def downgrades(basis: Basis) -> tuple[str, ...]:
    """Why the grade goes down from its start, one plain-words item per level lost."""
    out: list[str] = []
    if basis.design == "systematic-review" and (
        basis.trials < REVIEW_MIN_TRIALS or _few(basis.participants, REVIEW_MIN_PARTICIPANTS)
    ):
        out.append("a small systematic review (under 3 controlled trials or 300 people)")
    if (
        basis.design == "rct"
        and basis.trials <= 1
        and _few(basis.participants, RCT_MIN_PARTICIPANTS)
    ):
        out.append("a single small randomized trial (under 100 people)")
    if basis.design == "uncontrolled" and _few(basis.participants, UNCONTROLLED_MIN_PARTICIPANTS):
        out.append("small uncontrolled studies (under 50 people)")
    if not basis.direct:
        out.append("studies of a neighbouring concern, not this one")
    if not basis.consistent:
        out.append("results that do not agree")
    return tuple(out)


def grade(basis: Basis) -> EvidenceLevel:
    """The strongest evidence level the studies described by ``basis`` support."""
    if basis.negative:
        return "advised_against"
    index = GRADED.index(START[basis.design]) + len(downgrades(basis))
    return GRADED[min(index, len(GRADED) - 1)]


def above(stated: EvidenceLevel, computed: EvidenceLevel) -> bool:
    """Whether a stated grade claims more certainty than the computed one allows.

    ``not_indicated`` and ``advised_against`` claim nothing; a graded level
    stated where the computed grade is ``advised_against`` claims too much.
    """
    if stated not in GRADED:
        return False
    if computed not in GRADED:
        return True
    return GRADED.index(stated) < GRADED.index(computed)


__all__ = ["GRADED", "START", "above", "downgrades", "grade"]
