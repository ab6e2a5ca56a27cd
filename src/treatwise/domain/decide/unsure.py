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

Only the unsure condition's own rows and the rules that fire only with it can
add a restriction, so those are what is checked (:func:`_added`); when such a
rule caps a treatment's evidence, that treatment is screened again in full.
A test checks the result against a full screen of every hypothesis.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from treatwise.domain.decide.intake import Intake
from treatwise.domain.decide.screening import (
    STRICTNESS,
    Reason,
    Screening,
    ScreeningTable,
    Status,
    active_rules,
    make_reason,
    screen,
    screen_table,
    stricter,
    tables,
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
    positions: list[int]
    """Positions (in ``rules.yaml``) of the rules active in the hypothesis."""
    added: tuple[int, ...]
    """Positions of the rules active only in the hypothesis, in file order."""
    changed: frozenset[int]
    """Positions of the rules active in only one of the intake and the hypothesis."""


def hypotheses(kb: KnowledgeBase, intake: Intake) -> tuple[Hypothesis, ...]:
    """One hypothesis per ``unsure`` condition (computed once for every treatment)."""
    if not intake.unsure:
        return ()
    positions = tables(kb).positions
    base = {positions[id(rule)] for rule in active_rules(kb, intake)}
    out = []
    for condition in intake.unsure:
        stated = tuple(sorted({*intake.conditions, condition}))
        what_if = intake.model_copy(update={"conditions": stated, "unsure": ()})
        rules = active_rules(kb, what_if)
        active = [positions[id(rule)] for rule in rules]
        added = tuple(p for p in active if p not in base)
        changed = frozenset(added).union(base.difference(active))
        out.append(Hypothesis(condition, what_if, rules, active, added, changed))
    return tuple(out)


def settle_unsure(
    kb: KnowledgeBase,
    treatment: Treatment,
    screening: Screening,
    what_ifs: tuple[Hypothesis, ...],
) -> Screening:
    """The screening with an ``unsure`` reason for each unsure condition that restricts it."""
    table = tables(kb).by_id[treatment.id]
    known = {_key(reason) for reason in screening.reasons}
    reasons = []
    for hypothesis in what_ifs:
        if table.treatment is treatment:
            added = _added(table, known, hypothesis)
        else:  # a treatment that is not the knowledge base's own: screen it again in full
            what_if = screen(kb, hypothesis.intake, treatment, rules=hypothesis.rules)
            added = _new_restrictions(what_if.reasons, known)
        if added:
            reasons.append(_unsure_reason(kb, hypothesis.condition, added))
    if not reasons:
        return screening
    return screening._replace(
        status=stricter(screening.status, UNSURE_STATUS),
        reasons=screening.reasons + tuple(reasons),
    )


def _added(table: ScreeningTable, known: set[Key], hypothesis: Hypothesis) -> list[Reason]:
    """The restrictions the hypothesis adds to the screening, in the order screening lists them.

    Only the unsure condition's rows and the effects of rules that fire only
    in the hypothesis can add one. When a rule that fires in only one of the
    two caps this treatment's evidence, the evidence (and so the "not an
    option" reason) may differ: then the treatment is screened again in full.
    """
    effects = table.effects
    if any(effect.cap is not None for p in hypothesis.changed for effect in effects[p]):
        what_if = screen_table(table, hypothesis.intake, hypothesis.positions)
        return _new_restrictions(what_if.reasons, known)
    setting = hypothesis.intake.setting
    rows = table.rows.get(hypothesis.condition, ())
    candidates = [reason for _, settings, reason, _ in rows if setting in settings]
    candidates += [
        effect.reason
        for p in hypothesis.added
        for effect in effects[p]
        if effect.reason.status is not None
    ]
    return _new_restrictions(candidates, known)


Key = tuple[str, str, tuple[str, ...], str | None, str | None]


def _key(reason: Reason) -> Key:
    """What makes two reasons equal (every field, as the model's equality compares them)."""
    return (reason.kind, reason.text, reason.references, reason.rule, reason.status)


def _new_restrictions(reasons: Iterable[Reason], known: set[Key]) -> list[Reason]:
    """The restricting reasons not already among the screening's own (``known``)."""
    return [r for r in reasons if r.status is not None and _key(r) not in known]


def _unsure_reason(kb: KnowledgeBase, condition_id: str, added: list[Reason]) -> Reason:
    """The reason to settle one question first, citing the restrictions a yes would add."""
    strictest = max(added, key=lambda r: STRICTNESS[r.status or "suitable"])
    condition = kb.conditions[condition_id]
    text = (
        f"You were not sure about this question: “{condition.question.strip()}” "
        f"A yes {WOULD[strictest.status or 'caution']}. Settle it first, with a doctor "
        "if you need to."
    )
    references = tuple(dict.fromkeys(ref for r in added for ref in r.references))
    return make_reason(kind="unsure", text=text, references=references, status=UNSURE_STATUS)


__all__ = ["UNSURE_STATUS", "Hypothesis", "hypotheses", "settle_unsure"]
