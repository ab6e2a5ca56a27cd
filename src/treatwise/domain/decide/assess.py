"""The assessment: screen and score every treatment, rank them, pick ``best``, add combinations.

The output model's JSON is the "Assessment" contract of docs/design.md exactly; fields
marked ``exclude=True`` on reasons and red flags are an internal trail (rule
ids) that never reaches the JSON.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field

from treatwise.domain.decide.compiled import compiled
from treatwise.domain.decide.intake import Intake, Preferences
from treatwise.domain.decide.scoring import fit_of, preference_penalties, rank_key
from treatwise.domain.decide.screening import (
    Out,
    Reason,
    RedFlagOut,
    Screening,
    Status,
    active_rules,
    red_flags,
    screen_table,
    tables,
)
from treatwise.domain.decide.unsure import hypotheses, settle_unsure
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import EvidenceLevel
from treatwise.knowledge.vocabulary import STRICTNESS, SUPPORTED, at_least, strongest_first
from treatwise.knowledge.words import STATUS_SENTENCES

GROUP: dict[str, int] = {
    "suitable": 0,
    "caution": 0,
    "doctor_review": 1,
    "wait": 2,
    "not_suitable": 3,
}
"""Ranking groups: safety first (suitable and caution together), then fit, then id."""
BEST_STATUSES = frozenset({"suitable", "caution", "doctor_review"})
NextStep = Literal["see_doctor", "wait", "choose", "no_supported_option"]
NEXT_STEPS: tuple[NextStep, ...] = ("see_doctor", "wait", "choose", "no_supported_option")
NO_PREFERENCES = Preferences()
NO_PENALTIES: tuple[tuple[float, ...], tuple[Reason, ...]] = ((), ())
REASON_ORDER = ("contraindication", "unsure", "caution", "evidence", "preference", "note")
"""How reasons are listed: what rules a treatment out or must be settled first, then the rest."""


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


class Considered(Out):
    """Where the treatment the person came asking about stands for them, and why."""

    treatment: str
    rank: int = Field(ge=1)
    status: Status
    text: str


class Assessment(Out):
    """The decision aid's answer (docs/design.md, "Assessment")."""

    best: str | None
    see_doctor_first: bool
    next_step: NextStep
    red_flags: tuple[RedFlagOut, ...]
    options: tuple[Option, ...]
    best_by_concern: dict[str, str | None]
    considered: Considered | None
    combinations: tuple[CombinationOut, ...]
    disclaimer: str


def assess(kb: KnowledgeBase, intake: Intake) -> Assessment:
    """Screen, score and rank every treatment of the knowledge base for this intake."""
    compiled = tables(kb)
    rules = active_rules(kb, intake)
    active = [compiled.positions[id(rule)] for rule in rules]
    what_ifs = hypotheses(kb, intake)
    unranked = []
    by_concern: dict[str, list[tuple[Status, str, float]]] = {c: [] for c in intake.concerns}
    prefs = intake.preferences
    stated = prefs != NO_PREFERENCES
    for table in compiled.treatments:
        screening = screen_table(table, intake, active)
        if what_ifs:
            screening = settle_unsure(kb, table.treatment, screening, what_ifs)
        factors, preference_reasons = (
            preference_penalties(intake, table.treatment) if stated else NO_PENALTIES
        )
        evidence = screening.evidence
        fit = fit_of(tuple([level for _, level in evidence]), screening.fit_factor, factors)
        unranked.append((screening, fit, _ordered(screening.reasons + preference_reasons)))
        if screening.status not in BEST_STATUSES:
            continue  # never a pick: no per-concern fit needed
        for concern, level in evidence:
            if level in SUPPORTED:  # with one concern, its fit is the fit
                alone = (
                    fit if len(evidence) == 1 else fit_of((level,), screening.fit_factor, factors)
                )
                by_concern[concern].append((screening.status, screening.treatment, alone))
    # Status group, then fit, then lower invasiveness, then id: never by id alone.
    unranked.sort(
        key=lambda row: rank_key(GROUP[row[0].status], row[1], kb.treatments[row[0].treatment])
    )
    options = tuple(
        Option(
            treatment=screening.treatment,
            rank=rank,
            status=screening.status,
            fit=fit,
            concerns=tuple(_concern_evidence(c, e) for c, e in screening.evidence),
            reasons=reasons,
        )
        for rank, (screening, fit, reasons) in enumerate(unranked, start=1)
    )
    flags = red_flags(kb, intake, rules=rules)
    best = _best(options)
    picks = _best_by_concern(options, by_concern)
    return Assessment(
        best=best,
        see_doctor_first=any(flag.action == "see_doctor" for flag in flags),
        next_step=next_step(flags, best),
        red_flags=flags,
        options=options,
        best_by_concern=picks,
        considered=_considered(kb, intake, options, picks),
        combinations=_combinations(kb, intake, {s.treatment: s for s, _, _ in unranked}),
        disclaimer=kb.rules.disclaimer,
    )


def next_step(flags: tuple[RedFlagOut, ...], best: str | None) -> NextStep:
    """What the reader must see first: a doctor, a wait, a choice, or that nothing fits."""
    actions = {flag.action for flag in flags}
    if "see_doctor" in actions:
        return "see_doctor"
    if "wait" in actions:
        return "wait"
    return "choose" if best is not None else "no_supported_option"


def _best_by_concern(
    options: tuple[Option, ...], by_concern: dict[str, list[tuple[Status, str, float]]]
) -> dict[str, str | None]:
    """The ``best`` rule for each concern alone: fit for that concern, ties by overall rank.

    Candidates (``by_concern``): status suitable, caution or doctor_review, and
    evidence at least ``low`` for the concern, each with its fit for that
    concern alone (preferences and rule factors included). Among them, the
    safety group first, then that fit, then the overall ranking (which carries
    the tie-breaks).
    """
    rank = {option.treatment: option.rank for option in options}
    return {
        concern: min(
            ((GROUP[status], -fit, rank[treatment], treatment) for status, treatment, fit in rows),
            default=(0, 0.0, 0, None),
        )[3]
        for concern, rows in by_concern.items()
    }


def _considered(
    kb: KnowledgeBase,
    intake: Intake,
    options: tuple[Option, ...],
    picks: dict[str, str | None],
) -> Considered | None:
    """Where the treatment the person asked about stands, in two or three plain sentences."""
    if intake.considering is None:
        return None
    option = next(o for o in options if o.treatment == intake.considering)
    name = kb.treatments[option.treatment].name
    sentences = [
        f"{name} ranks {option.rank} of {len(options)} for you: {STATUS_SENTENCES[option.status]}."
    ]
    restricting = [r for r in option.reasons if r.status is not None and r.kind != "evidence"]
    if restricting:
        sentences.append(restricting[0].text)
    supported = [kb.concerns[c.concern].name for c in option.concerns if c.evidence in SUPPORTED]
    weak = [kb.concerns[c.concern].name for c in option.concerns if c.evidence not in SUPPORTED]
    if supported:
        sentences.append(f"The studies support it for {_and(supported).lower()}.")
    if weak:
        sentences.append(f"There is no good evidence that it helps {_and(weak).lower()}.")
    mine = [c for c, t in picks.items() if t == option.treatment]
    others = [(c, t) for c, t in picks.items() if t is not None and t != option.treatment]
    if mine:
        about = _and([kb.concerns[c].name for c in mine]).lower()
        sentences.append(f"It is the best-supported pick for {about}.")
    for concern, treatment in others:
        other = kb.treatments[treatment].name
        sentences.append(f"For {kb.concerns[concern].name.lower()}, {other} is a better pick.")
    return Considered(
        treatment=option.treatment, rank=option.rank, status=option.status, text=" ".join(sentences)
    )


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


_ORDER_KEY: dict[tuple[str, str | None], tuple[int, int]] = {
    (kind, status): (i, -STRICTNESS[status or "suitable"])
    for i, kind in enumerate(REASON_ORDER)
    for status in (None, *STRICTNESS)
}


def _order_key(reason: Reason) -> tuple[int, int]:
    return _ORDER_KEY[reason.kind, reason.status]


def _ordered(reasons: tuple[Reason, ...]) -> tuple[Reason, ...]:
    """Contraindications first (strictest first), then cautions, evidence, preferences, notes.

    A reason repeated (same kind and text) is listed once, where it first came.
    """
    if len({reason.text for reason in reasons}) < len(reasons):  # rare: some text repeats
        unique: dict[tuple[str, str], Reason] = {}
        for reason in reasons:
            unique.setdefault((reason.kind, reason.text), reason)
        reasons = tuple(unique.values())
    return tuple(sorted(reasons, key=_order_key))


@cache
def _concern_evidence(concern: str, evidence: EvidenceLevel) -> ConcernEvidence:
    """One shared, immutable value per (concern, level): built once, not per request."""
    return ConcernEvidence(concern=concern, evidence=evidence)


def _best(options: tuple[Option, ...]) -> str | None:
    for option in options:
        if option.status in BEST_STATUSES and any(c.evidence in SUPPORTED for c in option.concerns):
            return option.treatment
    return None


def _combinations(
    kb: KnowledgeBase, intake: Intake, screenings: dict[str, Screening]
) -> tuple[CombinationOut, ...]:
    """Combinations for the person's concerns whose parts are all open to them now.

    A part that must wait (pregnancy, a flare) or is ruled out removes the
    combination: an answer that says "wait" never offers a plan to start now.
    """
    wanted = set(intake.concerns)
    open_now = {name for name, s in screenings.items() if s.status in BEST_STATUSES}
    found: dict[tuple[tuple[str, str], tuple[str, ...]], CombinationOut] = {}
    for concerns, key, out in compiled(kb, _all_combinations):
        first, second = out.treatments
        if wanted.isdisjoint(concerns) or first not in open_now or second not in open_now:
            continue
        if key not in found or not at_least(found[key].evidence, out.evidence):
            found[key] = out
    return tuple(
        sorted(found.values(), key=lambda c: (strongest_first(c.evidence), c.treatments, c.text))
    )


Combination = tuple[frozenset[str], tuple[tuple[str, str], tuple[str, ...]], CombinationOut]


def _all_combinations(kb: KnowledgeBase) -> tuple[Combination, ...]:
    """Every combination of the knowledge base as (its concerns, its key, its output), once."""
    out = []
    for treatment_id in sorted(kb.treatments):
        for combo in kb.treatments[treatment_id].combinations:
            first, second = sorted((treatment_id, combo.with_))
            value = CombinationOut(
                treatments=(first, second),
                evidence=combo.evidence,
                text=combo.text,
                references=combo.references,
            )
            out.append(
                (
                    frozenset(combo.concerns),
                    (value.treatments, tuple(sorted(combo.concerns))),
                    value,
                )
            )
    return tuple(out)


__all__ = [
    "NEXT_STEPS",
    "Assessment",
    "CombinationOut",
    "ConcernEvidence",
    "Considered",
    "NextStep",
    "Option",
    "assess",
    "next_step",
]
