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

Each treatment's rows, selected rule effects, evidence and reasons are
compiled once per knowledge base into a :class:`ScreeningTable`
(:func:`tables`), so screening one intake is lookups in those tables
(:func:`screen_table`); a test checks them against a plain walk of the models.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from treatwise.domain.decide.compiled import compiled
from treatwise.domain.decide.intake import Intake
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import (
    EVIDENCE_LEVELS,
    Contraindication,
    ContraindicationLevel,
    EvidenceLevel,
    Indication,
    RedFlag,
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


class Screening(NamedTuple):
    """The safety result for one treatment: status, capped evidence per concern, reasons.

    Internal (not part of the JSON), so a named tuple: immutable, no validation cost.
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


class TriggerSets(NamedTuple):
    """A rule trigger's fields, with its lists as sets: compiled once per trigger."""

    age_below: int | None
    concerns_any: frozenset[str]
    conditions_any: frozenset[str]
    conditions_none: frozenset[str]
    sex: frozenset[str]
    fitzpatrick_at_least: int | None
    settings: frozenset[str]
    avoid_needles: bool | None
    avoid_injections: bool | None


def trigger_sets(trigger: RuleTrigger) -> TriggerSets:
    """The trigger's fields as :class:`TriggerSets` (use through ``compiled``)."""
    return TriggerSets(
        trigger.age_below,
        frozenset(trigger.concerns_any),
        frozenset(trigger.conditions_any),
        frozenset(trigger.conditions_none),
        frozenset(trigger.sex),
        trigger.fitzpatrick_at_least,
        frozenset(trigger.settings),
        trigger.avoid_needles,
        trigger.avoid_injections,
    )


def fires(trigger: RuleTrigger, intake: Intake) -> bool:
    """Whether every given field of the trigger holds for the intake (logical AND)."""
    return holds(compiled(trigger, trigger_sets), intake)


def holds(t: TriggerSets, intake: Intake) -> bool:
    """:func:`fires` on a compiled trigger; each check stops at the first failing field."""
    prefs = intake.preferences
    return (
        (t.age_below is None or intake.age < t.age_below)
        and (not t.concerns_any or not t.concerns_any.isdisjoint(intake.concerns))
        and conditions_hold(t, intake.conditions)
        and (not t.sex or intake.sex in t.sex)
        and (
            t.fitzpatrick_at_least is None
            or (intake.fitzpatrick is not None and intake.fitzpatrick >= t.fitzpatrick_at_least)
        )
        and (not t.settings or intake.setting in t.settings)
        and (t.avoid_needles is None or prefs.avoid_needles == t.avoid_needles)
        and (t.avoid_injections is None or prefs.avoid_injections == t.avoid_injections)
    )


def conditions_hold(t: TriggerSets, conditions: tuple[str, ...]) -> bool:
    """The trigger's condition fields: one of ``conditions_any`` stated, none of the others."""
    return (not t.conditions_any or not t.conditions_any.isdisjoint(conditions)) and (
        t.conditions_none.isdisjoint(conditions)
    )


def selects(selector: TreatmentSelector, treatment: Treatment) -> bool:
    """Whether a rule effect applies to this treatment (listed id, or any matching modality)."""
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
    active = active_rules(kb, intake) if rules is None else rules
    compiled_kb = tables(kb)
    table = compiled_kb.by_id[treatment.id]
    if table.treatment is not treatment:  # a treatment that is not this knowledge base's own
        table = _table(kb, _rule_effects(kb), treatment)
    positions = compiled_kb.positions
    return screen_table(table, intake, [positions[id(rule)] for rule in active])


def screen_table(table: ScreeningTable, intake: Intake, active: list[int]) -> Screening:
    """:func:`screen` on a compiled table; ``active`` holds the positions of the active rules."""
    setting = intake.setting
    concerns = intake.concerns
    reasons: list[Reason] = []
    strictest = SUITABLE
    if intake.conditions:
        rows = table.rows
        found = [
            row
            for condition in intake.conditions
            for row in rows.get(condition, ())
            if setting in row[1]
        ]
        if len(found) > 1:
            found.sort(key=_first)
        for _, _, reason, strictness in found:
            reasons.append(reason)
            strictest = max(strictest, strictness)
    caps: dict[str, EvidenceLevel] = {}
    factor = 1.0
    effects = table.effects
    for position in active:
        for effect in effects[position]:
            if effect.cap is not None:
                for concern in concerns:
                    if concern in effect.triggering:
                        caps[concern] = weaker(caps.get(concern, "high"), effect.cap)
            if effect.fit_factor is not None:
                factor *= effect.fit_factor
            reasons.append(effect.reason)
            strictest = max(strictest, effect.strictness)
    for concern, reason in table.indirect[setting]:
        if concern in concerns:
            caps[concern] = weaker(caps.get(concern, "high"), INDIRECT_SETTING_CAP)
            reasons.append(reason)
    levels = table.evidence
    if caps:
        evidence = tuple([(c, cap(levels.get(c, "not_indicated"), caps.get(c))) for c in concerns])
    else:
        evidence = tuple([(c, levels.get(c, "not_indicated")) for c in concerns])
    explained = [table.evidence_reasons[pair] for pair in evidence]
    reasons += explained
    if NOT_A_USE.issuperset([level for _, level in evidence]):
        reasons.append(
            table.not_an_option[evidence[0]] if len(evidence) == 1 else _not_an_option(explained)
        )
        strictest = NOT_SUITABLE
    return Screening(table.treatment.id, STATUS_OF[strictest], evidence, tuple(reasons), factor)


SUITABLE = STRICTNESS["suitable"]
NOT_SUITABLE = STRICTNESS["not_suitable"]
STATUS_OF: dict[int, Status] = {STRICTNESS[status]: status for status in STATUSES}
"""Strictness → status (the inverse of ``STRICTNESS``)."""


def _strictness(reason: Reason) -> int:
    return STRICTNESS[reason.status or "suitable"]


def _not_an_option(explained: list[Reason]) -> Reason:
    """The reason a treatment is ruled out when none of the person's concerns is one of its uses."""
    refs = _merge(reason.references for reason in explained)
    text = "Not an option for your concerns: the evidence does not support it for any of them."
    return make_reason(kind="evidence", text=text, references=refs, status="not_suitable")


def _first(row: Row) -> int:
    return row[0]


@dataclass(frozen=True, slots=True)
class Effect:
    """One rule effect that selects a treatment, with its reason built once."""

    reason: Reason
    strictness: int
    """The strictness of the effect's status (``suitable``'s when it sets none)."""
    cap: EvidenceLevel | None
    fit_factor: float | None
    triggering: frozenset[str]
    """The rule's ``concerns_any``: the concerns whose evidence ``cap`` limits."""


@dataclass(frozen=True, slots=True)
class ScreeningTable:
    """One treatment's screening data, compiled once per knowledge base.

    Everything here derives from immutable knowledge-base objects only, so that
    screening an intake is lookups in these tables rather than a walk over the
    knowledge base's models (the decision aid's hot path).
    """

    treatment: Treatment
    rows: dict[str, tuple[Row, ...]]
    """Condition → its restricting rows, in file order."""
    effects: tuple[tuple[Effect, ...], ...]
    """Per rule of ``rules.yaml``, at the rule's position: its effects that select the treatment."""
    evidence: dict[str, EvidenceLevel]
    """Concern → the treatment's evidence level (absent: ``not_indicated``)."""
    indirect: dict[str, tuple[tuple[str, Reason], ...]]
    """Setting → (concern, reason) where the studies were done elsewhere only (indication order)."""
    evidence_reasons: dict[tuple[str, EvidenceLevel], Reason]
    """(concern, level) → the evidence reason, for every concern and level."""
    not_an_option: dict[tuple[str, EvidenceLevel], Reason]
    """(concern, level) → why it is ruled out for that one concern, for levels that are no use."""


@dataclass(frozen=True, slots=True)
class Tables:
    """A knowledge base compiled for screening: one table per treatment, in id order."""

    treatments: tuple[ScreeningTable, ...]
    by_id: dict[str, ScreeningTable]
    positions: dict[int, int]
    """``id(rule)`` → the rule's position in ``rules.yaml``."""
    condition_flags: dict[str, RedFlagOut]
    """Condition → its red flag, for the conditions that have one."""
    rule_flags: dict[tuple[int, str], RedFlagOut]
    """(``id(rule)``, what fired it) → the rule's red flag."""


def tables(kb: KnowledgeBase) -> Tables:
    """The screening tables of this knowledge base: compiled on first use, then reused."""
    return compiled(kb, _compile)


def _compile(kb: KnowledgeBase) -> Tables:
    effects = _rule_effects(kb)
    built = tuple(_table(kb, effects, kb.treatments[t]) for t in sorted(kb.treatments))
    return Tables(
        treatments=built,
        by_id={table.treatment.id: table for table in built},
        positions={id(rule): i for i, rule in enumerate(kb.rules.rules)},
        condition_flags=_condition_flags(kb),
        rule_flags=_rule_flags(kb),
    )


def _rule_effects(kb: KnowledgeBase) -> list[list[tuple[TreatmentSelector, Effect]]]:
    return [
        [
            (
                effect.treatments,
                Effect(
                    reason=(reason := _effect_reason(rule, effect)),
                    strictness=_strictness(reason),
                    cap=effect.evidence,
                    fit_factor=effect.fit_factor,
                    triggering=frozenset(rule.when.concerns_any),
                ),
            )
            for effect in rule.effects
        ]
        for rule in kb.rules.rules
    ]


def _table(
    kb: KnowledgeBase,
    effects: list[list[tuple[TreatmentSelector, Effect]]],
    treatment: Treatment,
) -> ScreeningTable:
    return ScreeningTable(
        treatment=treatment,
        rows=_rows_by_condition(treatment),
        effects=tuple(
            tuple(effect for selector, effect in rule if selects(selector, treatment))
            for rule in effects
        ),
        evidence={row.concern: row.evidence for row in reversed(treatment.indications)},
        indirect={setting: _indirect(kb, treatment, setting) for setting in SETTING_PLACE},
        evidence_reasons=(
            explained := {
                (concern, level): _evidence_reason(kb, treatment, concern, level)
                for concern in kb.concerns
                for level in EVIDENCE_LEVELS
            }
        ),
        not_an_option={
            pair: _not_an_option([reason])
            for pair, reason in explained.items()
            if pair[1] in NOT_A_USE
        },
    )


def active_rules(kb: KnowledgeBase, intake: Intake) -> list[Rule]:
    """The cross-cutting rules whose trigger holds, in file order."""
    return [rule for rule, trigger in compiled(kb, _triggers) if holds(trigger, intake)]


def _triggers(kb: KnowledgeBase) -> tuple[tuple[Rule, TriggerSets], ...]:
    return tuple((rule, trigger_sets(rule.when)) for rule in kb.rules.rules)


Row = tuple[int, frozenset[str], Reason, int]
"""A restricting contraindication row: file position, settings, reason, strictness."""


def _rows_by_condition(treatment: Treatment) -> dict[str, tuple[Row, ...]]:
    """The restricting rows by condition (every treatment has a row for every condition)."""
    out: dict[str, list[Row]] = {}
    for index, row in enumerate(treatment.contraindications):
        if row.level != "none":
            reason = _row_reason(row)
            entry = (index, frozenset(row.settings), reason, _strictness(reason))
            out.setdefault(row.condition, []).append(entry)
    return {condition: tuple(rows) for condition, rows in out.items()}


def _row_reason(row: Contraindication) -> Reason:
    status = LEVEL_STATUS[row.level]
    kind: ReasonKind = "caution" if status == "caution" else "contraindication"
    return make_reason(
        kind=kind, text=row.text, references=row.references, rule=row.rule, status=status
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


def _indirect(
    kb: KnowledgeBase, treatment: Treatment, setting: str
) -> tuple[tuple[str, Reason], ...]:
    """Concerns whose evidence comes from studies in other settings only, each with its reason.

    Such a concern's evidence drops to very_low in this setting (only where it
    was stronger than that), and the reason says why.
    """
    return tuple(
        (
            indication.concern,
            _setting_reason(treatment, kb.concerns[indication.concern].name, indication, setting),
        )
        for indication in treatment.indications
        if indication.basis is not None
        and setting not in indication.basis.settings
        and not at_least(INDIRECT_SETTING_CAP, indication.evidence)
    )


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
    compiled_flags = tables(kb)
    flags: dict[tuple[str, str, str], RedFlagOut] = {}
    for condition_id in intake.conditions:
        out = compiled_flags.condition_flags.get(condition_id)
        if out is not None:
            flags[(out.condition, out.action, out.text)] = out
    for rule in active_rules(kb, intake) if rules is None else rules:
        if rule.red_flag is not None:
            label = _trigger_label(rule.when, intake)
            out = compiled_flags.rule_flags.get((id(rule), label)) or _rule_flag(
                rule, rule.red_flag, label
            )
            flags[(out.condition, out.action, out.text)] = out
    return tuple(flags[key] for key in sorted(flags))


def _condition_flags(kb: KnowledgeBase) -> dict[str, RedFlagOut]:
    return {
        condition_id: RedFlagOut(
            condition=condition_id,
            action=condition.red_flag.action,
            text=condition.red_flag.text,
            references=condition.red_flag.references,
        )
        for condition_id, condition in kb.conditions.items()
        if condition.red_flag is not None
    }


def _rule_flags(kb: KnowledgeBase) -> dict[tuple[int, str], RedFlagOut]:
    """Each rule's red flag for every label it can carry (built for all, not per person)."""
    return {
        (id(rule), label): _rule_flag(rule, rule.red_flag, label)
        for rule in kb.rules.rules
        if rule.red_flag is not None
        for label in (*rule.when.conditions_any, *rule.when.concerns_any, *TRIGGER_LABELS)
    }


def _rule_flag(rule: Rule, flag: RedFlag, label: str) -> RedFlagOut:
    return RedFlagOut(
        condition=label,
        action=flag.action,
        text=flag.text,
        references=flag.references,
        rule=rule.id,
    )


TRIGGER_LABELS = ("age", "setting", "intake")
"""What a rule red flag is about when no stated condition or concern fired it."""


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
    "ScreeningTable",
    "Status",
    "Tables",
    "TriggerSets",
    "active_rules",
    "cap",
    "conditions_hold",
    "fires",
    "holds",
    "red_flags",
    "screen",
    "screen_table",
    "selects",
    "stricter",
    "tables",
    "trigger_sets",
]
