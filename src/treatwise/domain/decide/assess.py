"""The assessment: screen and score every treatment, rank them, pick ``best``, add combinations.

The output model's JSON is the DESIGN "Assessment" contract exactly; fields
marked ``exclude=True`` on reasons and red flags are an internal trail (rule
ids) that never reaches the JSON.
"""

from __future__ import annotations

from pydantic import Field

from treatwise.domain.decide.intake import Intake
from treatwise.domain.decide.scoring import score
from treatwise.domain.decide.screening import (
    EVIDENCE_RANK,
    REASON_KINDS,
    STRICTNESS,
    Out,
    Reason,
    RedFlagOut,
    Screening,
    Status,
    active_rules,
    red_flags,
    screen,
)
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import EvidenceLevel

GROUP: dict[str, int] = {
    "suitable": 0,
    "caution": 0,
    "doctor_review": 1,
    "wait": 2,
    "not_suitable": 3,
}
"""Ranking groups: safety first (suitable and caution together), then fit, then id."""
BEST_STATUSES = frozenset({"suitable", "caution", "doctor_review"})
SUPPORTED = frozenset({"high", "moderate", "low"})


class ConcernEvidence(Out):
    """The evidence level of a treatment for one of the person's concerns."""

    concern: str
    evidence: EvidenceLevel


class Option(Out):
    """One ranked treatment."""

    treatment: str
    rank: int = Field(ge=1)
    status: Status
    fit: float = Field(ge=0, le=1)
    concerns: tuple[ConcernEvidence, ...]
    reasons: tuple[Reason, ...]


class CombinationOut(Out):
    """Two treatments used together for one of the person's concerns."""

    treatments: tuple[str, str]
    evidence: EvidenceLevel
    text: str
    references: tuple[str, ...]


class Assessment(Out):
    """The decision aid's answer (DESIGN "Assessment")."""

    best: str | None
    see_doctor_first: bool
    red_flags: tuple[RedFlagOut, ...]
    options: tuple[Option, ...]
    combinations: tuple[CombinationOut, ...]
    disclaimer: str


def assess(kb: KnowledgeBase, intake: Intake) -> Assessment:
    """Screen, score and rank every treatment of the knowledge base for this intake."""
    rules = active_rules(kb, intake)
    unranked = []
    for treatment_id in sorted(kb.treatments):
        treatment = kb.treatments[treatment_id]
        screening = screen(kb, intake, treatment, rules=rules)
        fit = score(intake, treatment, screening)
        unranked.append((screening, fit.value, _ordered(screening.reasons + fit.reasons)))
    unranked.sort(key=lambda row: (GROUP[row[0].status], -row[1], row[0].treatment))
    options = tuple(
        Option(
            treatment=screening.treatment,
            rank=rank,
            status=screening.status,
            fit=fit,
            concerns=tuple(ConcernEvidence(concern=c, evidence=e) for c, e in screening.evidence),
            reasons=reasons,
        )
        for rank, (screening, fit, reasons) in enumerate(unranked, start=1)
    )
    flags = red_flags(kb, intake, rules=rules)
    return Assessment(
        best=_best(options),
        see_doctor_first=any(flag.action == "see_doctor" for flag in flags),
        red_flags=flags,
        options=options,
        combinations=_combinations(kb, intake, {s.treatment: s for s, _, _ in unranked}),
        disclaimer=kb.rules.disclaimer,
    )


def _ordered(reasons: tuple[Reason, ...]) -> tuple[Reason, ...]:
    """Contraindications first (strictest first), then cautions, evidence, preferences, notes."""
    kinds = {kind: i for i, kind in enumerate(REASON_KINDS)}
    unique: dict[tuple[str, str], Reason] = {}
    for reason in reasons:
        unique.setdefault((reason.kind, reason.text), reason)
    return tuple(
        sorted(
            unique.values(),
            key=lambda r: (kinds[r.kind], -STRICTNESS.get(r.status or "suitable", 0)),
        )
    )


def _best(options: tuple[Option, ...]) -> str | None:
    for option in options:
        if option.status in BEST_STATUSES and any(c.evidence in SUPPORTED for c in option.concerns):
            return option.treatment
    return None


def _combinations(
    kb: KnowledgeBase, intake: Intake, screenings: dict[str, Screening]
) -> tuple[CombinationOut, ...]:
    """Combinations for the person's concerns whose parts are all possibly suitable."""
    wanted = set(intake.concerns)
    found: dict[tuple[tuple[str, str], tuple[str, ...]], CombinationOut] = {}
    for treatment_id in sorted(kb.treatments):
        for combo in kb.treatments[treatment_id].combinations:
            pair = tuple(sorted((treatment_id, combo.with_)))
            parts_ok = all(
                part in screenings and screenings[part].status != "not_suitable" for part in pair
            )
            if not (wanted & set(combo.concerns)) or not parts_ok:
                continue
            out = CombinationOut(
                treatments=(pair[0], pair[1]),
                evidence=combo.evidence,
                text=combo.text,
                references=combo.references,
            )
            key = (out.treatments, tuple(sorted(combo.concerns)))
            if key not in found or EVIDENCE_RANK[out.evidence] < EVIDENCE_RANK[found[key].evidence]:
                found[key] = out
    return tuple(
        sorted(found.values(), key=lambda c: (EVIDENCE_RANK[c.evidence], c.treatments, c.text))
    )


__all__ = ["Assessment", "CombinationOut", "ConcernEvidence", "Option", "assess"]
