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
add a restriction, so those are what is checked (:func:`_candidates`); when
such a rule caps a treatment's evidence, that treatment is screened again in
full.
A test checks the result against a full screen of every hypothesis.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from treatwise.domain.decide.compiled import compiled
from treatwise.domain.decide.intake import Intake
from treatwise.domain.decide.screening import (
    STRICTNESS,
    Reason,
    Screening,
    ScreeningTable,
    Status,
    TriggerSets,
    active_rules,
    conditions_hold,
    holds,
    make_reason,
    screen,
    screen_table,
    stricter,
    tables,
    trigger_sets,
)
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import SETTINGS, Rule, Treatment

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
    stated: Intake
    """The intake as the person gave it."""
    positions: list[int]
    """Positions (in ``rules.yaml``) of the rules active in the hypothesis."""
    rules: list[Rule]
    """The rules active in the hypothesis, in file order."""
    added: tuple[int, ...]
    """Positions of the rules active only in the hypothesis, in file order."""
    changed: frozenset[int]
    """Positions of the rules active in only one of the intake and the hypothesis."""

    @cached_property
    def intake(self) -> Intake:
        """The intake with the condition stated (built only when a full screen needs it)."""
        conditions = tuple(sorted({*self.stated.conditions, self.condition}))
        return self.stated.model_copy(update={"conditions": conditions, "unsure": ()})


def hypotheses(kb: KnowledgeBase, intake: Intake) -> tuple[Hypothesis, ...]:
    """One hypothesis per ``unsure`` condition (computed once for every treatment).

    Only rules whose trigger names conditions can fire differently in a
    hypothesis. Each of them is checked once on the rest of its trigger, and
    then, per hypothesis, on its conditions alone (a trigger is an AND of its
    fields); the other rules keep their outcome for the intake.
    """
    if not intake.unsure:
        return ()
    rules = kb.rules.rules
    positions = tables(kb).positions
    base = {positions[id(rule)] for rule in active_rules(kb, intake)}
    on_conditions = compiled(kb, _condition_rules)
    fixed = base.difference(p for p, _, _ in on_conditions)
    open_ = [(p, trigger) for p, trigger, rest in on_conditions if holds(rest, intake)]
    out = []
    for condition in intake.unsure:
        stated = (*intake.conditions, condition)
        fired = {p for p, trigger in open_ if conditions_hold(trigger, stated)}
        active = sorted(fixed | fired)
        added = tuple(p for p in active if p not in base)
        changed = frozenset(added).union(base.difference(active))
        out.append(
            Hypothesis(condition, intake, active, [rules[p] for p in active], added, changed)
        )
    return tuple(out)


def _condition_rules(kb: KnowledgeBase) -> tuple[tuple[int, TriggerSets, TriggerSets], ...]:
    """The rules whose trigger names conditions: position, trigger, and the rest of it."""
    out = []
    for position, rule in enumerate(kb.rules.rules):
        trigger = trigger_sets(rule.when)
        if trigger.conditions_any or trigger.conditions_none:
            rest = trigger._replace(conditions_any=frozenset(), conditions_none=frozenset())
            out.append((position, trigger, rest))
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
    row_reasons = compiled(kb, _row_reasons)
    reasons = []
    for hypothesis in what_ifs:
        if table.treatment is treatment:
            reason = _settle(kb, table, known, hypothesis, row_reasons)
        else:  # a treatment that is not the knowledge base's own: screen it again in full
            what_if = screen(kb, hypothesis.intake, treatment, rules=hypothesis.rules)
            added = _new_restrictions(what_if.reasons, known)
            reason = _unsure_reason(kb, hypothesis.condition, added) if added else None
        if reason is not None:
            reasons.append(reason)
    if not reasons:
        return screening
    return screening._replace(
        status=stricter(screening.status, UNSURE_STATUS),
        reasons=screening.reasons + tuple(reasons),
    )


def _settle(
    kb: KnowledgeBase,
    table: ScreeningTable,
    known: set[Key],
    hypothesis: Hypothesis,
    row_reasons: dict[tuple[str, str, str], RowReason],
) -> Reason | None:
    """The unsure reason for one hypothesis, or None when it would add no restriction.

    The common case (no rule that fires differently adds a restriction or caps
    evidence here, and none of the condition's rows is already among the
    reasons) takes the reason compiled for the treatment, condition and setting.
    """
    effects = table.effects
    changed, added = hypothesis.changed, hypothesis.added
    if changed and any(effect.cap for p in changed for effect in effects[p]):
        # a rule that fires in only one of the two caps the evidence here: the evidence
        # (and so "not an option") may differ, so the treatment is screened again in full
        what_if = screen_table(table, hypothesis.intake, hypothesis.positions)
        restrictions = _new_restrictions(what_if.reasons, known)
    elif added and any(effect.reason.status for p in added for effect in effects[p]):
        restrictions = _new_restrictions(_candidates(table, hypothesis), known)
    else:  # the condition's own rows alone
        key = (table.treatment.id, hypothesis.condition, hypothesis.stated.setting)
        compiled_reason = row_reasons.get(key)
        if compiled_reason is None:
            return None  # no rows here: nothing to settle
        if known.isdisjoint(compiled_reason[0]):
            return compiled_reason[1]
        restrictions = _new_restrictions(_candidates(table, hypothesis), known)
    return _unsure_reason(kb, hypothesis.condition, restrictions) if restrictions else None


RowReason = tuple[tuple["Key", ...], Reason]


def _row_reasons(kb: KnowledgeBase) -> dict[tuple[str, str, str], RowReason]:
    """(treatment, condition, setting) → its rows' keys and the unsure reason they give.

    Compiled for every treatment, condition and setting of the knowledge base,
    not for the conditions people name.
    """
    out: dict[tuple[str, str, str], RowReason] = {}
    for table in tables(kb).treatments:
        for condition, rows in table.rows.items():
            for setting in SETTINGS:
                found = [reason for _, settings, reason, _ in rows if setting in settings]
                if found:
                    keys = tuple(_key(reason) for reason in found)
                    out[(table.treatment.id, condition, setting)] = (
                        keys,
                        _unsure_reason(kb, condition, found),
                    )
    return out


def _candidates(table: ScreeningTable, hypothesis: Hypothesis) -> list[Reason]:
    """What the hypothesis can add when no evidence changes, in the order screening lists it.

    Only the unsure condition's rows and the effects of rules that fire only
    in the hypothesis can add a restriction.
    """
    setting = hypothesis.stated.setting
    rows = table.rows.get(hypothesis.condition, ())
    found = [reason for _, settings, reason, _ in rows if setting in settings]
    found += [
        effect.reason
        for p in hypothesis.added
        for effect in table.effects[p]
        if effect.reason.status is not None
    ]
    return found


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
