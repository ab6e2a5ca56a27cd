"""Choosing what to compare: which pairs are valid, which are worth offering, and which
treatments to offer beside one (all from the data, none hand-picked)."""

from __future__ import annotations

from treatwise.domain.articles import pairs
from treatwise.domain.compare.values import CompareError
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Treatment
from treatwise.knowledge.vocabulary import NOT_A_USE

SAME_TWICE = "choose two different treatments"


def pair_errors(kb: KnowledgeBase, a: str, b: str) -> list[CompareError]:
    """Every problem with comparing ``a`` and ``b``: an unknown id (each), else the same twice."""
    valid = sorted(kb.treatments)
    errors = [
        CompareError(field, f"unknown treatment {value!r}", valid)
        for field, value in (("a", a), ("b", b))
        if value not in kb.treatments
    ]
    if not errors and a == b:
        errors.append(CompareError("b", SAME_TWICE, valid))
    return errors


def picker_errors(kb: KnowledgeBase, a: str, b: str) -> dict[str, str]:
    """Field → message for a bad choice in the picker (unknown id, missing, or the same twice)."""
    valid = ", ".join(sorted(kb.treatments))
    return {
        e.field: "Choose two different treatments."
        if e.message == SAME_TWICE
        else f"Choose a treatment for “{e.field}”; valid ids: {valid}."
        for e in pair_errors(kb, a, b)
    }


def popular_pairs(kb: KnowledgeBase) -> list[tuple[Treatment, Treatment]]:
    """Pairs that share a concern both are used for (from the data, not hand-picked), the
    headline pair first, in the same order as the generated pair guides."""
    return [(kb.treatments[p.a], kb.treatments[p.b]) for p in pairs(kb)]


def compare_with(kb: KnowledgeBase, treatment: Treatment) -> list[str]:
    """Other treatments used for the same concerns, most concerns in common first."""

    def uses(t: Treatment) -> set[str]:
        return {i.concern for i in t.indications if i.evidence not in NOT_A_USE}

    mine = uses(treatment)
    shared = {o.id: len(mine & uses(o)) for o in kb.treatments.values() if o.id != treatment.id}
    return sorted((o for o, n in shared.items() if n), key=lambda o: (-shared[o], o))
