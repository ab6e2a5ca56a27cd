"""Render an Assessment as JSON or plain text, and the decision rules as a Markdown table.

``assessment_json`` is the canonical byte-for-byte output (the CLI and the API
use it); ``assessment_text`` is for a terminal; ``rules_markdown`` generates the
rule table in ``docs/decision-aid.md`` from the data.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from treatwise.domain.decide import Assessment, Intake, Option, RedFlagOut
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Rule, RuleEffect, RuleTrigger, TreatmentSelector
from treatwise.knowledge.words import (
    ACTION_WORDS,
    EVIDENCE_PHRASES,
    NEXT_STEP_HEADLINES,
    STATUS_PHRASES,
)

WIDTH = 88


@dataclass(frozen=True)
class Pick:
    """One concern's pick, in plain words: why, what the studies show, the main harms."""

    concern: str
    concern_name: str
    treatment: str | None
    treatment_name: str | None
    status: str | None
    evidence: str | None
    reason: str
    benefit: str | None
    harms: tuple[str, ...]
    references: tuple[str, ...]


def picks(kb: KnowledgeBase, assessment: Assessment) -> list[Pick]:
    """The pick for each concern (``best_by_concern``) with a one-sentence reason.

    The benefit is the first sentence of the indication's ``summary`` (study and
    size, in plain numbers where the studies give them); the harms are the
    treatment's common and serious side effects, with their ``frequency`` when known.
    """
    options = {option.treatment: option for option in assessment.options}
    out = []
    for concern, treatment_id in assessment.best_by_concern.items():
        concern_name = kb.concerns[concern].name
        if treatment_id is None:
            reason = (
                f"No option open to you now has at least limited evidence for "
                f"{concern_name.lower()}."
            )
            out.append(Pick(concern, concern_name, None, None, None, None, reason, None, (), ()))
            continue
        treatment = kb.treatments[treatment_id]
        option = options[treatment_id]
        level = next(c.evidence for c in option.concerns if c.concern == concern)
        indication = next(i for i in treatment.indications if i.concern == concern)
        reason = (
            f"{treatment.name} is the best-supported option for {concern_name.lower()} that is "
            f"open to you ({EVIDENCE_PHRASES[level]}; {STATUS_PHRASES[option.status]})."
        )
        harms = tuple(
            f"{effect.name}: {effect.frequency}" if effect.frequency else effect.name
            for effect in treatment.side_effects
            if effect.severity in ("common", "serious")
        )[:3]
        references = tuple(
            dict.fromkeys(
                [*indication.references]
                + [
                    r
                    for e in treatment.side_effects
                    if e.severity != "uncommon"
                    for r in e.references
                ]
            )
        )
        out.append(
            Pick(
                concern,
                concern_name,
                treatment_id,
                treatment.name,
                option.status,
                level,
                reason,
                first_sentence(indication.summary),
                harms,
                references,
            )
        )
    return out


def first_sentence(text: str) -> str:
    """The first sentence of a summary (a full stop followed by a capital starts the next)."""
    flat = " ".join(text.split())
    match = re.search(r"(?<=[a-z0-9%)\]])\.\s+(?=[A-Z])", flat)
    return flat[: match.start() + 1] if match else flat


def unsure_headline(count: int) -> str:
    """ "You were not sure about N questions; settle them first"."""
    noun = "question" if count == 1 else "questions"
    return f"You were not sure about {count} {noun}; settle {'it' if count == 1 else 'them'} first"


def unsure_questions(kb: KnowledgeBase, intake: Intake) -> list[str]:
    """The questions the person was not sure about, in the knowledge base's words."""
    return [kb.conditions[c].question.strip() for c in intake.unsure]


def assessment_json(assessment: Assessment) -> str:
    """The contract JSON, indented; the same input always gives the same bytes."""
    return assessment.model_dump_json(indent=2)


def assessment_text(kb: KnowledgeBase, assessment: Assessment, intake: Intake | None = None) -> str:
    """A plain-text report: what to do now first, then red flags, the options, the sources."""
    lines = ["Treatwise decision aid", "=" * 22, ""]
    lines += _now(kb, assessment, intake)
    if assessment.see_doctor_first:
        lines += ["PLEASE SEE A DOCTOR FIRST (see the red flags below).", ""]
    if assessment.red_flags:
        lines.append("Red flags:")
        lines += [line for flag in assessment.red_flags for line in _flag(kb, flag)]
        lines.append("")
    best = kb.treatments[assessment.best].name if assessment.best else None
    lines.append(
        f"Best-supported option for you: {best}"
        if best
        else "No option is both safe for you now and supported by evidence for your concerns."
    )
    lines += ["", "Options, safest and best-fitting first:"]
    for option in assessment.options:
        lines += _option(kb, option)
    if assessment.combinations:
        lines += ["", "Combinations for your concerns:"]
        for combo in assessment.combinations:
            names = " + ".join(kb.treatments[t].name for t in combo.treatments)
            text = f"{names} (evidence {_level(combo.evidence)}): {combo.text}"
            lines += _wrap(f"- {text} {_cite(combo.references)}", "  ")
    lines += ["", "Sources:"]
    for ref_id in _cited(assessment):
        ref = kb.references[ref_id]
        where = ref.url or (f"https://doi.org/{ref.doi}" if ref.doi else f"PMID {ref.pmid}")
        year = f", {ref.year}" if ref.year else ""
        lines += _wrap(f"[{ref_id}] {ref.title}. {ref.publisher}{year}. {where}", "    ")
    lines += ["", *_wrap(assessment.disclaimer, "")]
    return "\n".join(lines)


def _now(kb: KnowledgeBase, assessment: Assessment, intake: Intake | None) -> list[str]:
    """The first screen: the next step, what it means for this person, unsure, considered."""
    lines = [f"WHAT TO DO NOW: {NEXT_STEP_HEADLINES[assessment.next_step]}.", ""]
    if intake is not None and intake.unsure:
        lines += [unsure_headline(len(intake.unsure)) + ":"]
        for question in unsure_questions(kb, intake):
            lines += _wrap(f"- {question}", "  ")
        lines.append("")
    about = [flag.condition for flag in assessment.red_flags if flag.action == "see_doctor"]
    if assessment.next_step == "see_doctor":
        for entry in kb.next_steps.doctor_for(about):
            lines += _wrap(f"Who to see: {entry.who.text} {_cite(entry.who.references)}", "  ")
            lines += _wrap("What to bring: " + " ".join(entry.bring), "  ")
            lines += _wrap("What to ask: " + " ".join(entry.ask), "  ")
        lines += _wrap(
            "The options below are to discuss with your doctor, not recommendations.", ""
        )
    elif assessment.next_step == "wait":
        for flag in assessment.red_flags:
            wait = kb.next_steps.wait_for(flag.condition) if flag.action == "wait" else None
            if wait is None:
                continue
            lines += _wrap(f"Until when: {wait.until}", "  ")
            for point in wait.meanwhile:
                lines += _wrap(f"Meanwhile: {point.text} {_cite(point.references)}", "  ")
            lines += _wrap(wait.come_back, "  ")
    elif assessment.next_step == "choose":
        for pick in picks(kb, assessment):
            lines += _wrap(f"- {pick.concern_name}: {pick.reason}", "  ")
            if pick.benefit:
                lines += _wrap(f"What the studies show: {pick.benefit}", "    ", first="    ")
            if pick.harms:
                lines += _wrap(f"Main harms: {'; '.join(pick.harms)}.", "    ", first="    ")
    else:
        lines += _wrap(
            "Please talk to a doctor about your concerns: they can look at causes and "
            "treatments outside this guide.",
            "",
        )
    if assessment.considered is not None:
        name = kb.treatments[assessment.considered.treatment].name
        lines += ["", f"About {name}, which you asked about:"]
        lines += _wrap(assessment.considered.text, "  ", first="  ")
    return [*lines, ""]


def _flag(kb: KnowledgeBase, flag: RedFlagOut) -> list[str]:
    about = (
        kb.conditions[flag.condition].name if flag.condition in kb.conditions else flag.condition
    )
    if flag.condition in kb.concerns:
        about = kb.concerns[flag.condition].name
    text = f"! {ACTION_WORDS[flag.action]} ({about}): {flag.text} {_cite(flag.references)}"
    return _wrap(text, "  ", first="  ")


def _option(kb: KnowledgeBase, option: Option) -> list[str]:
    name = kb.treatments[option.treatment].name
    head = f"{option.rank:2}. {name}: {STATUS_PHRASES[option.status]} (fit {option.fit:.2f})"
    evidence = "; ".join(
        f"{kb.concerns[c.concern].name} {_level(c.evidence)}" for c in option.concerns
    )
    lines = ["", head, *_wrap(f"Evidence: {evidence}", "    ", first="    ")]
    for reason in option.reasons:
        if reason.kind == "evidence" and reason.status is None:
            continue  # summarised in the evidence line above
        refs = f" {_cite(reason.references)}" if reason.references else ""
        lines += _wrap(f"- {reason.kind}: {reason.text}{refs}", "      ", first="    ")
    return lines


def _cited(assessment: Assessment) -> list[str]:
    refs: list[str] = [r for flag in assessment.red_flags for r in flag.references]
    for option in assessment.options:
        refs += [r for reason in option.reasons for r in reason.references]
    refs += [r for combo in assessment.combinations for r in combo.references]
    return sorted(set(refs))


def _level(level: str) -> str:
    return level.replace("_", " ")


def _cite(references: Iterable[str]) -> str:
    return "[" + ", ".join(references) + "]"


def _wrap(text: str, indent: str, *, first: str = "") -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()), WIDTH, initial_indent=first, subsequent_indent=indent
    )


def rules_markdown(kb: KnowledgeBase) -> str:
    """The rule tables of docs/decision-aid.md, generated from the knowledge base."""
    out = ["### Cross-cutting rules (`rules.yaml`)", ""]
    out += [
        "| Rule | Title | When | Applies to | Effect | References |",
        "|---|---|---|---|---|---|",
    ]
    for rule in kb.rules.rules:
        out += _rule_rows(rule)
    out += ["", "### Condition rules (`treatments/*.yaml`, `contraindications`)", ""]
    out += ["| Rule | Condition | Treatment | Level | Settings | References |"]
    out += ["|---|---|---|---|---|---|"]
    rows = sorted(
        (row.rule is None, row.rule or "", row.condition, treatment.id, row.level, row)
        for treatment in kb.treatments.values()
        for row in treatment.contraindications
    )
    for _, rule_id, condition, treatment_id, level, row in rows:
        settings, refs = row.settings, row.references
        rule_id = rule_id or "(none)"
        where = ", ".join(settings)
        out.append(
            f"| {rule_id} | {condition} | {treatment_id} | {level} | {where} | {_refs(refs)} |"
        )
    out += ["", "### Red flags (`conditions.yaml`)", "", "| Condition | Action | References |"]
    out.append("|---|---|---|")
    for condition_id in sorted(kb.conditions):
        red_flag = kb.conditions[condition_id].red_flag
        if red_flag:
            out.append(f"| {condition_id} | {red_flag.action} | {_refs(red_flag.references)} |")
    return "\n".join(out) + "\n"


def _rule_rows(rule: Rule) -> list[str]:
    when = describe_trigger(rule.when)
    rows = [
        f"| {rule.id} | {rule.title} | {when} | {describe_selector(e.treatments)} "
        f"| {describe_effect(e)} | {_refs(e.references or rule.references)} |"
        for e in rule.effects
    ]
    if rule.red_flag:
        flag = rule.red_flag
        rows.append(
            f"| {rule.id} | {rule.title} | {when} | (person) | red flag: {flag.action} "
            f"| {_refs(flag.references)} |"
        )
    return rows


def describe_trigger(trigger: RuleTrigger) -> str:
    """When a rule applies, in the docs' words ("always" when it has no trigger)."""
    parts = [
        f"{key} {_value(value)}" for key, value in trigger.model_dump(exclude_defaults=True).items()
    ]
    return "; ".join(parts) or "always"


def describe_selector(selector: TreatmentSelector) -> str:
    """Which treatments a rule effect selects, in the docs' words."""
    if selector.all:
        return "every treatment"
    parts = list(selector.ids)
    parts += [
        f"{key}={str(value).lower()}"
        for key, value in selector.model_dump(exclude_defaults=True).items()
        if key not in ("ids", "all")
    ]
    return ", ".join(parts)


def describe_effect(effect: RuleEffect) -> str:
    """What a rule effect does, in the docs' words."""
    parts = []
    if effect.status:
        parts.append(f"status {effect.status}")
    if effect.evidence:
        parts.append(f"evidence at most {effect.evidence}")
    if effect.fit_factor is not None:
        parts.append(f"fit × {effect.fit_factor}")
    return ", ".join(parts) or effect.kind


def _value(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value).lower() if isinstance(value, bool) else str(value)


def _refs(refs: Iterable[str]) -> str:
    return ", ".join(refs)


__all__ = [
    "Pick",
    "assessment_json",
    "assessment_text",
    "describe_effect",
    "describe_selector",
    "describe_trigger",
    "first_sentence",
    "picks",
    "rules_markdown",
    "unsure_headline",
    "unsure_questions",
]
