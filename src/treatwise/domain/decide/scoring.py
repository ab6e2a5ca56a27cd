"""Fit: how well a treatment matches a person's concerns and preferences, from 0 to 1.

``fit = evidence × rule factors × preference factors``, rounded to 3 decimals.

*Evidence* weighs the (capped) evidence level for each of the person's
concerns: high 1.0, moderate 0.75, low 0.5, very_low 0.2, not_indicated and
advised_against 0. It is **best-weighted**: ``0.8 × best + 0.2 × mean``, so a
treatment that serves one concern well scores well, and one that serves
several concerns scores a little better.

*Rule factors* come from rules that prefer other options (``fit_factor`` of a
rule effect in ``rules.yaml``, for example R20: lasers and peels rank below
microneedling in darker skin); the rule's reason explains them. The data keeps
them at 0.8 or above.

*Preference factors* (each explained by a ``preference`` reason):

- hard preferences: needles pierce the skin while the person avoids needles,
  or a substance is injected while they avoid injections: × 0.15 each;
- soft preferences, each × 0.85 when even the lowest figure is over the limit,
  else × 0.92 (downtime) or × 0.95 (cost, sessions) when the typical or top
  figure is: downtime over ``max_downtime_days``; cost over
  ``budget_per_session_usd`` (a price per course is divided by the typical
  number of sessions; a monthly price counts as one session); sessions over
  ``max_sessions`` (not for daily topicals, whose "sessions" are months of use).

The numbers are chosen so that, with ``avoid_needles``, any needle-free
treatment with at least ``low`` evidence for one concern (fit ≥ 0.4 × 0.8 ×
0.85³ ≈ 0.196) ranks above any needle treatment in the same status group
(fit ≤ 0.15).

*Ties* (DESIGN contract v2, :func:`rank_key`): within a status group, options
rank by fit, then by lower invasiveness (topical, non-wounding device,
needling, injection, ablative; a treatment without a level counts as the most
invasive), then by id: never by id alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from treatwise.domain.decide.compiled import compiled
from treatwise.domain.decide.intake import Intake
from treatwise.domain.decide.screening import Reason, Screening, make_reason
from treatwise.knowledge.schema import INVASIVENESS, EvidenceLevel, Range, Treatment

EVIDENCE_WEIGHT: dict[str, float] = {
    "high": 1.0,
    "moderate": 0.75,
    "low": 0.5,
    "very_low": 0.2,
    "not_indicated": 0.0,
    "advised_against": 0.0,
}
BEST_SHARE = 0.8
HARD_FACTOR = 0.15
OVER_ALL = 0.85
OVER_SOME = {"downtime": 0.92, "cost": 0.95, "sessions": 0.95}


@dataclass(frozen=True)
class Fit:
    """The fit in 0..1 and the preference reasons that lowered it."""

    value: float
    reasons: tuple[Reason, ...]


def evidence_score(levels: tuple[EvidenceLevel, ...]) -> float:
    """Best-weighted evidence: 0.8 × the best weight + 0.2 × the mean weight."""
    if not levels:
        return 0.0
    weights = [EVIDENCE_WEIGHT[level] for level in levels]
    return BEST_SHARE * max(weights) + (1 - BEST_SHARE) * sum(weights) / len(weights)


def score(intake: Intake, treatment: Treatment, screening: Screening) -> Fit:
    """Fit of one screened treatment for this intake."""
    factors, reasons = preference_penalties(intake, treatment)
    return Fit(value=fit_value(screening, factors), reasons=reasons)


def preference_penalties(
    intake: Intake, treatment: Treatment
) -> tuple[tuple[float, ...], tuple[Reason, ...]]:
    """The preference factors that apply and a reason for each (once per treatment)."""
    table = compiled(treatment, preference_table)
    prefs = intake.preferences
    factors: list[float] = []
    reasons: list[Reason] = []
    if prefs.avoid_needles and table.needles is not None:
        factors.append(HARD_FACTOR)
        reasons.append(table.needles)
    if prefs.avoid_injections and table.injection is not None:
        factors.append(HARD_FACTOR)
        reasons.append(table.injection)
    for limit, figure in (
        (prefs.max_downtime_days, table.downtime),
        (prefs.budget_per_session_usd, table.cost),
        (prefs.max_sessions, table.sessions),
    ):
        if limit is None or figure is None:
            continue
        if figure.low > limit:
            factors.append(OVER_ALL)
            reasons.append(_reason(figure.over_all.format(_num(limit)), figure.references))
        elif figure.top > limit:
            factors.append(figure.over_some)
            reasons.append(_reason(figure.over_top.format(_num(limit)), figure.references))
    return tuple(factors), tuple(reasons)


def fit_value(screening: Screening, preference_factors: tuple[float, ...]) -> float:
    """Evidence × rule factors × preference factors, clamped to 0..1 and rounded to 3 places."""
    levels = tuple(level for _, level in screening.evidence)
    return fit_of(levels, screening.fit_factor, preference_factors)


def fit_of(
    levels: tuple[EvidenceLevel, ...], rule_factor: float, preference_factors: tuple[float, ...]
) -> float:
    """:func:`fit_value` from the evidence levels and the product of the rules' factors."""
    value = evidence_score(levels) * rule_factor
    for factor in preference_factors:  # in order, as always: the rounding stays the same
        value *= factor
    return round(min(max(value, 0.0), 1.0), 3)


INVASIVENESS_RANK: dict[str, int] = {level: i for i, level in enumerate(INVASIVENESS)}


def invasiveness_rank(treatment: Treatment) -> int:
    """0 for the least invasive level; a treatment without a level ranks as the most invasive."""
    if treatment.invasiveness is None:
        return len(INVASIVENESS)
    return INVASIVENESS_RANK[treatment.invasiveness]


def rank_key(group: int, fit: float, treatment: Treatment) -> tuple[int, float, int, str]:
    """Sort key of an option: status group, higher fit, lower invasiveness, then id."""
    return (group, -fit, invasiveness_rank(treatment), treatment.id)


@dataclass(frozen=True, slots=True)
class Limit:
    """A treatment's figure checked against a preference limit, with its two sentences.

    Over ``low`` (the lowest figure): × 0.85 and ``over_all``; else over
    ``top`` (typical or highest): × ``over_some`` and ``over_top``. Each
    sentence has one ``{}`` for the person's limit.
    """

    low: float
    top: float
    over_some: float
    over_all: str
    over_top: str
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PreferenceTable:
    """What one treatment brings to the preference penalties, compiled once (compiled.py)."""

    needles: Reason | None
    """The reason when the person avoids needles; None when no needle is used."""
    injection: Reason | None
    downtime: Limit
    cost: Limit | None
    sessions: Limit | None
    """None for daily topicals: their "sessions" are months of use."""


def preference_table(treatment: Treatment) -> PreferenceTable:
    """The treatment's preference figures and sentences (they depend on the treatment only)."""
    modality = treatment.modality
    needles = "Needles pierce the skin in this treatment, and you prefer to avoid needles."
    injected = "A substance is injected in this treatment, and you prefer to avoid injections."
    return PreferenceTable(
        needles=_reason(needles, treatment.application.references) if modality.needles else None,
        injection=(
            _reason(injected, treatment.what_enters_skin.references) if modality.injection else None
        ),
        downtime=_limit(treatment.downtime_days, "downtime", "days of recovery", "you can allow"),
        cost=_cost(treatment),
        sessions=(
            None
            if treatment.procedure.interval_weeks is None
            else _limit(treatment.procedure.sessions, "sessions", "sessions", "you want")
        ),
    )


def _limit(figure: Range, what: str, unit: str, wish: str) -> Limit:
    span = _span(figure.min, figure.max)
    return Limit(
        low=figure.min,
        top=figure.typical if figure.typical is not None else figure.max,
        over_some=OVER_SOME[what],
        over_all=f"It usually takes {span} {unit}, more than the {{}} {wish}.",
        over_top=f"It can take {span} {unit}; the {{}} {wish} may not be enough.",
        references=figure.references,
    )


def _cost(treatment: Treatment) -> Limit | None:
    cost = treatment.cost
    if cost is None:
        return None
    sessions = treatment.procedure.sessions
    divisor = (sessions.typical or sessions.max or 1.0) if cost.per == "course" else 1.0
    low, high = cost.min_usd / divisor, cost.max_usd / divisor
    unit = "session" if cost.per == "course" else cost.per
    price = f"about ${_span(round(low), round(high))} per {unit}"
    return Limit(
        low=low,
        top=high,
        over_some=OVER_SOME["cost"],
        over_all=f"It costs {price}, over your budget of ${{}}.",
        over_top=f"It costs {price}; some clinics charge more than your ${{}}.",
        references=cost.references,
    )


def _reason(text: str, references: tuple[str, ...]) -> Reason:
    return make_reason(kind="preference", text=text, references=references)


def _num(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _span(low: float, high: float) -> str:
    return _num(low) if low == high else f"{_num(low)}–{_num(high)}"


__all__ = [
    "EVIDENCE_WEIGHT",
    "Fit",
    "evidence_score",
    "fit_of",
    "fit_value",
    "invasiveness_rank",
    "preference_penalties",
    "preference_table",
    "rank_key",
    "score",
]
