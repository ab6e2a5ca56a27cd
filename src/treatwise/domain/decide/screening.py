"""Safety screening: which rules apply to one treatment for one intake, and the status they set.

Three sources of rules, all data:

1. the treatment's own contraindication rows (``Treatment.contraindications``):
   a row applies when its condition is stated and the intake's setting is in
   the row's ``settings``; its ``level`` maps to a status (absolute →
   ``not_suitable``, temporary → ``wait``, doctor_review → ``doctor_review``,
   caution → ``caution``);
2. the cross-cutting rules of ``rules.yaml`` whose trigger holds for the intake
   and whose selector picks the treatment (a status, an evidence cap for the
   triggering concerns, or a note);
3. the setting: a concern's evidence drops to ``very_low`` when the intake's
   setting is not among the settings its studies were done in
   (``Indication.basis.settings``), with an ``evidence`` reason saying so;
4. the evidence itself: when every one of the person's concerns is
   ``not_indicated`` or ``advised_against`` for the treatment, it is
   ``not_suitable``.

The strictest status wins. Red flags (condition-level and rule-level) are
collected once per intake by :func:`red_flags`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from treatwise.domain.decide.intake import Intake
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import (
    Contraindication,
    ContraindicationLevel,
    EvidenceLevel,
    Indication,
    Rule,
    RuleEffect,
    RuleTrigger,
    Treatment,
    TreatmentSelector,
)
from treatwise.knowledge.vocabulary import (  # the ordered vocabulary, owned there
    NOT_A_USE,
    STATUSES,
    STRICTNESS,
    Status,
    at_least,
    stricter,
    weaker,
)

T = TypeVar("T")

ReasonKind = Literal[
    "contraindication",
    "caution",
    "evidence",
    "preference",
    "note",
    "unsure",  # contract v2: a condition the person is not sure about (decide/unsure.py)
]
REASON_KINDS: tuple[ReasonKind, ...] = (
    "contraindication",
    "caution",
    "evidence",
    "preference",
    "note",
    "unsure",
)

LEVEL_STATUS: dict[ContraindicationLevel, Status] = {
    "absolute": "not_suitable",
    "temporary": "wait",
    "doctor_review": "doctor_review",
    "caution": "caution",
}


class Out(BaseModel):
    """Base of the result models: immutable; ``exclude=True`` fields are the internal trail."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Reason(Out):
    """Why a treatment got its status or fit (DESIGN ``reasons[]``)."""

    kind: ReasonKind
    text: str
    references: tuple[str, ...] = ()
    rule: str | None = Field(default=None, exclude=True)
    status: Status | None = Field(default=None, exclude=True)


class RedFlagOut(Out):
    """Something to act on before any treatment (DESIGN ``red_flags[]``)."""

    condition: str
    action: Literal["see_doctor", "wait"]
    text: str
    references: tuple[str, ...]
    rule: str | None = Field(default=None, exclude=True)


@dataclass(frozen=True)
class Screening:
    """The safety result for one treatment: status, capped evidence per concern, reasons.

    Internal (not part of the JSON), so a plain dataclass: no validation cost.
    """

    treatment: str
    status: Status
    evidence: tuple[tuple[str, EvidenceLevel], ...]
    reasons: tuple[Reason, ...]
    fit_factor: float = 1.0
    """Product of the rules' ``fit_factor``s (rules that prefer other options)."""


def make_reason(
    *,
    kind: ReasonKind,
    text: str,
    references: tuple[str, ...],
    rule: str | None = None,
    status: Status | None = None,
) -> Reason:
    """A reason (keyword-only, so call sites read like the contract)."""
    return Reason(kind=kind, text=text, references=references, rule=rule, status=status)


_MEMO: dict[tuple[int, int, str], tuple[object, object, Any]] = {}
_MEMO_LIMIT = 100_000


def _memo(a: object, b: object, key: str, build: Callable[..., T], *args: object) -> T:
    """Cache ``build(*args)``, a value derived only from immutable knowledge-base objects.

    A pure function's cache, not state: the same objects ``a`` and ``b`` (and
    ``key``) always give the same value. Entries hold their objects, so an id
    is never reused for another one. ``build`` runs only on a miss (no closure
    is made per call: this is the decision aid's hot path).
    """
    slot = (id(a), id(b), key)
    hit = _MEMO.get(slot)
    if hit is not None and hit[0] is a and hit[1] is b:
        value: T = hit[2]
        return value
    if len(_MEMO) > _MEMO_LIMIT:
        _MEMO.clear()
    value = build(*args)
    _MEMO[slot] = (a, b, value)
    return value


def fires(trigger: RuleTrigger, intake: Intake) -> bool:
    """Whether every given field of the trigger holds for the intake (logical AND)."""
    # Each check returns as soon as it fails: most rules fail on their first field.
    if trigger.age_below is not None and intake.age >= trigger.age_below:
        return False
    if trigger.concerns_any and not any(c in trigger.concerns_any for c in intake.concerns):
        return False
    if trigger.conditions_any and not any(c in trigger.conditions_any for c in intake.conditions):
        return False
    if trigger.conditions_none and any(c in trigger.conditions_none for c in intake.conditions):
        return False
    if trigger.sex and intake.sex not in trigger.sex:
        return False
    at_least_type = trigger.fitzpatrick_at_least
    if at_least_type is not None and (
        intake.fitzpatrick is None or intake.fitzpatrick < at_least_type
    ):
        return False
    if trigger.settings and intake.setting not in trigger.settings:
        return False
    prefs = intake.preferences
    if trigger.avoid_needles is not None and prefs.avoid_needles != trigger.avoid_needles:
        return False
    return trigger.avoid_injections is None or prefs.avoid_injections == trigger.avoid_injections


def selects(selector: TreatmentSelector, treatment: Treatment) -> bool:
    """Whether a rule effect applies to this treatment (listed id, or any matching modality)."""
    return _memo(selector, treatment, "selects", _selects, selector, treatment)


def _selects(selector: TreatmentSelector, treatment: Treatment) -> bool:
    modality = treatment.modality
    if selector.all or treatment.id in selector.ids:
        return True
    if any(treatment.evidence_for(c) != "not_indicated" for c in selector.indicated_for):
        return True
    flags = ("needles", "injection", "blood_product", "energy", "home_use")
    return any(
        getattr(selector, flag) is not None and getattr(modality, flag) == getattr(selector, flag)
        for flag in flags
    )


def cap(level: EvidenceLevel, limit: EvidenceLevel | None) -> EvidenceLevel:
    """The weaker of a level and a cap (order: high … very_low, not_indicated, advised_against)."""
    return level if limit is None else weaker(level, limit)


def screen(
    kb: KnowledgeBase, intake: Intake, treatment: Treatment, *, rules: list[Rule] | None = None
) -> Screening:
    """Screen one treatment: contraindication rows, cross-cutting rules, then the evidence.

    ``rules`` lets a caller pass :func:`active_rules` computed once for many treatments.
    """
    reasons = list(_row_reasons(intake, treatment))
    caps: dict[str, EvidenceLevel] = {}
    factors: list[float] = []
    for rule in active_rules(kb, intake) if rules is None else rules:
        reasons += _rule_reasons(rule, intake, treatment, caps, factors)
    reasons += setting_reasons(kb, intake, treatment, caps)
    evidence = tuple(
        (concern, cap(treatment.evidence_for(concern), caps.get(concern)))
        for concern in intake.concerns
    )
    reasons += _evidence_reasons(kb, treatment, evidence)
    status: Status = "suitable"
    for reason in reasons:
        if reason.status is not None:
            status = stricter(status, reason.status)
    return Screening(
        treatment=treatment.id,
        status=status,
        evidence=evidence,
        reasons=tuple(reasons),
        fit_factor=math.prod(factors),
    )


def active_rules(kb: KnowledgeBase, intake: Intake) -> list[Rule]:
    """The cross-cutting rules whose trigger holds, in file order."""
    return [rule for rule in kb.rules.rules if fires(rule.when, intake)]


def _row_reasons(intake: Intake, treatment: Treatment) -> Iterable[Reason]:
    """Reasons of the restricting rows for the stated conditions in this setting, in file order.

    Looks up only the stated conditions (every treatment has a row for every condition).
    """
    by_condition = _memo(treatment, None, "rows", _rows_by_condition, treatment)
    found = [
        (index, reason)
        for condition in intake.conditions
        for index, settings, reason in by_condition.get(condition, ())
        if intake.setting in settings
    ]
    found.sort(key=lambda pair: pair[0])
    return [reason for _, reason in found]


def _rows_by_condition(
    treatment: Treatment,
) -> dict[str, tuple[tuple[int, tuple[str, ...], Reason], ...]]:
    out: dict[str, list[tuple[int, tuple[str, ...], Reason]]] = {}
    for index, row in enumerate(treatment.contraindications):
        if row.level != "none":
            out.setdefault(row.condition, []).append((index, row.settings, _row_reason(row)))
    return {condition: tuple(rows) for condition, rows in out.items()}


def _row_reason(row: Contraindication) -> Reason:
    status = LEVEL_STATUS[row.level]
    kind: ReasonKind = "caution" if status == "caution" else "contraindication"
    return make_reason(
        kind=kind, text=row.text, references=row.references, rule=row.rule, status=status
    )


def _rule_reasons(
    rule: Rule,
    intake: Intake,
    treatment: Treatment,
    caps: dict[str, EvidenceLevel],
    factors: list[float],
) -> list[Reason]:
    selected = _memo(rule, treatment, "selected", _selected_effects, rule, treatment)
    if not selected:
        return []
    out = []
    triggering = [c for c in intake.concerns if c in rule.when.concerns_any]
    for effect, reason in selected:
        for concern in triggering if effect.evidence else ():
            caps[concern] = cap(caps.get(concern, "high"), effect.evidence)
        if effect.fit_factor is not None:
            factors.append(effect.fit_factor)
        out.append(reason)
    return out


def _selected_effects(rule: Rule, treatment: Treatment) -> tuple[tuple[RuleEffect, Reason], ...]:
    """The rule's effects that select this treatment, each with its (cached) reason."""
    return tuple(
        (effect, _memo(rule, effect, "effect", _effect_reason, rule, effect))
        for effect in rule.effects
        if selects(effect.treatments, treatment)
    )


def _effect_reason(rule: Rule, effect: RuleEffect) -> Reason:
    kind: ReasonKind = effect.kind
    if effect.status is not None:
        kind = "caution" if effect.status == "caution" else "contraindication"
    return make_reason(
        kind=kind,
        text=effect.text,
        references=effect.references or rule.references,
        rule=rule.id,
        status=effect.status,
    )


SETTING_PLACE: dict[str, str] = {
    "medical": "in a clinic",
    "salon": "in a salon or spa",
    "home": "at home",
}
INDIRECT_SETTING_CAP: EvidenceLevel = "very_low"


def setting_reasons(
    kb: KnowledgeBase, intake: Intake, treatment: Treatment, caps: dict[str, EvidenceLevel]
) -> list[Reason]:
    """Evidence from studies in other settings: cap each such concern at very_low, say why."""
    out = []
    for indication in treatment.indications:
        basis = indication.basis
        if (
            basis is None
            or intake.setting in basis.settings
            or indication.concern not in intake.concerns
            or at_least(INDIRECT_SETTING_CAP, indication.evidence)  # no stronger than the cap
        ):
            continue
        caps[indication.concern] = cap(caps.get(indication.concern, "high"), INDIRECT_SETTING_CAP)
        concern = kb.concerns[indication.concern]
        key = f"setting:{intake.setting}"
        out.append(
            _memo(
                indication,
                concern,
                key,
                _setting_reason,
                treatment,
                concern.name,
                indication,
                intake.setting,
            )
        )
    return out


def _setting_reason(
    treatment: Treatment, concern: str, indication: Indication, setting: str
) -> Reason:
    studied = indication.basis.settings if indication.basis else ()
    name = (
        treatment.name
        if treatment.name[:2].isupper()
        else treatment.name[0].lower() + treatment.name[1:]
    )
    text = (
        f"{concern}, {SETTING_PLACE[setting]}: the studies of {name} were done "
        f"{' or '.join(SETTING_PLACE[s] for s in studied)}, and there are none "
        f"{SETTING_PLACE[setting]}, so for you the evidence is very low."
    )
    return make_reason(kind="evidence", text=text, references=indication.references)


def _evidence_reasons(
    kb: KnowledgeBase, treatment: Treatment, evidence: tuple[tuple[str, EvidenceLevel], ...]
) -> list[Reason]:
    out = [
        _memo(
            treatment,
            kb.concerns[concern],
            level,
            _evidence_reason,
            kb,
            treatment,
            concern,
            level,
        )
        for concern, level in evidence
    ]
    if all(level in NOT_A_USE for _, level in evidence):
        refs = _merge(r.references for r in out)
        text = "Not an option for your concerns: the evidence does not support it for any of them."
        out.append(make_reason(kind="evidence", text=text, references=refs, status="not_suitable"))
    return out


def _evidence_reason(
    kb: KnowledgeBase, treatment: Treatment, concern: str, level: EvidenceLevel
) -> Reason:
    row = next((ind for ind in treatment.indications if ind.concern == concern), None)
    summary = row.summary if row else "Not a use of this treatment in the sources we hold."
    refs = row.references if row else treatment.summary.references
    text = f"{kb.concerns[concern].name}: evidence {level.replace('_', ' ')}. {summary}"
    return make_reason(kind="evidence", text=text, references=refs)


def _merge(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ref for group in groups for ref in group))


def red_flags(
    kb: KnowledgeBase, intake: Intake, *, rules: list[Rule] | None = None
) -> tuple[RedFlagOut, ...]:
    """Condition red flags for the stated conditions, then rule red flags; sorted, unique."""
    flags: dict[tuple[str, str, str], RedFlagOut] = {}
    for condition_id in intake.conditions:
        flag = kb.conditions[condition_id].red_flag
        if flag is not None:
            out = RedFlagOut(
                condition=condition_id,
                action=flag.action,
                text=flag.text,
                references=flag.references,
            )
            flags[(out.condition, out.action, out.text)] = out
    for rule in active_rules(kb, intake) if rules is None else rules:
        if rule.red_flag is not None:
            out = RedFlagOut(
                condition=_trigger_label(rule.when, intake),
                action=rule.red_flag.action,
                text=rule.red_flag.text,
                references=rule.red_flag.references,
                rule=rule.id,
            )
            flags[(out.condition, out.action, out.text)] = out
    return tuple(flags[key] for key in sorted(flags))


def _trigger_label(trigger: RuleTrigger, intake: Intake) -> str:
    """What a rule red flag is about: the stated condition or concern that fired it, or the age."""
    for condition in intake.conditions:
        if condition in trigger.conditions_any:
            return condition
    for concern in intake.concerns:
        if concern in trigger.concerns_any:
            return concern
    if trigger.age_below is not None:
        return "age"
    return "setting" if trigger.settings else "intake"


__all__ = [
    "REASON_KINDS",
    "STATUSES",
    "STRICTNESS",
    "Out",
    "Reason",
    "RedFlagOut",
    "Screening",
    "Status",
    "active_rules",
    "cap",
    "fires",
    "red_flags",
    "screen",
    "selects",
    "setting_reasons",
    "stricter",
]
