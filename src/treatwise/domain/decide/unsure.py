"""Conditions the person is not sure about (contract v2 ``unsure``).

A condition in ``intake.unsure`` is treated as possibly present. For each one,
the treatment is screened again as if the condition were stated; when that
adds a restriction (a contraindication row or a rule with a status, from
``caution`` to ``not_suitable``), the treatment gets a reason of kind
``unsure`` with status ``doctor_review``. It names the question to settle and
cites the sources of the restriction it would trigger. So an ``unsure``
condition never leaves a treatment it would restrict ``suitable`` or
``caution``; a stricter status already found stays.

Red flags are not raised for ``unsure`` conditions: they come from what the
person stated. The result page lists the questions to settle first.
"""

from __future__ import annotations

from dataclasses import dataclass

from treatwise.domain.decide.intake import Intake
from treatwise.domain.decide.screening import (
    STRICTNESS,
    Reason,
    Screening,
    Status,
    active_rules,
    make_reason,
    screen,
    stricter,
)
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Rule, Treatment

UNSURE_STATUS: Status = "doctor_review"
WOULD = {
    "not_suitable": "would rule this treatment out",
    "wait": "would mean waiting before this treatment",
    "doctor_review": "would mean a doctor must assess you before this treatment",
    "caution": "would call for precautions with this treatment",
}


@dataclass(frozen=True)
class Hypothesis:
    """The intake as if one ``unsure`` condition were stated, with its active rules."""

    condition: str
    intake: Intake
    rules: list[Rule]


def hypotheses(kb: KnowledgeBase, intake: Intake) -> tuple[Hypothesis, ...]:
    """One hypothesis per ``unsure`` condition (computed once for every treatment)."""
    out = []
    for condition in intake.unsure:
        stated = tuple(sorted({*intake.conditions, condition}))
        what_if = intake.model_copy(update={"conditions": stated, "unsure": ()})
        out.append(Hypothesis(condition, what_if, active_rules(kb, what_if)))
    return tuple(out)


def settle_unsure(
    kb: KnowledgeBase,
    treatment: Treatment,
    screening: Screening,
    what_ifs: tuple[Hypothesis, ...],
) -> Screening:
    """The screening with an ``unsure`` reason for each unsure condition that restricts it."""
    reasons = [
        reason
        for hypothesis in what_ifs
        if (reason := _unsure_reason(kb, treatment, screening, hypothesis)) is not None
    ]
    if not reasons:
        return screening
    return screening._replace(
        status=stricter(screening.status, UNSURE_STATUS),
        reasons=screening.reasons + tuple(reasons),
    )


def _unsure_reason(
    kb: KnowledgeBase, treatment: Treatment, base: Screening, hypothesis: Hypothesis
) -> Reason | None:
    """The reason to settle one question first, or None when it changes nothing here."""
    known = set(base.reasons)
    what_if = screen(kb, hypothesis.intake, treatment, rules=hypothesis.rules)
    added = [r for r in what_if.reasons if r.status is not None and r not in known]
    if not added:
        return None
    strictest = max(added, key=lambda r: STRICTNESS[r.status or "suitable"])
    condition = kb.conditions[hypothesis.condition]
    text = (
        f"You were not sure about this question: “{condition.question.strip()}” "
        f"A yes {WOULD[strictest.status or 'caution']}. Settle it first, with a doctor "
        "if you need to."
    )
    references = tuple(dict.fromkeys(ref for r in added for ref in r.references))
    return make_reason(kind="unsure", text=text, references=references, status=UNSURE_STATUS)


__all__ = ["UNSURE_STATUS", "Hypothesis", "hypotheses", "settle_unsure"]
