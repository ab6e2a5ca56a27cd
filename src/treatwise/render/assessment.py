"""Render an Assessment as JSON or plain text, and the decision rules as a Markdown table.

``assessment_json`` is the canonical byte-for-byte output (the CLI and the API
use it); ``assessment_text`` is for a terminal; ``rules_markdown`` generates the
rule table in ``docs/decision-aid.md`` from the data.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from treatwise.domain.decide import Assessment, Option, RedFlagOut
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Rule, RuleEffect, RuleTrigger, TreatmentSelector

WIDTH = 88
STATUS_WORDS = {
    "suitable": "suitable",
    "caution": "possible, with precautions",
    "doctor_review": "only after a doctor has assessed you",
    "wait": "wait: not now",
    "not_suitable": "not suitable for you",
}
ACTION_WORDS = {"see_doctor": "See a doctor first", "wait": "Wait"}


def assessment_json(assessment: Assessment) -> str:
    """The contract JSON, indented; the same input always gives the same bytes."""
    return assessment.model_dump_json(indent=2)


def assessment_text(kb: KnowledgeBase, assessment: Assessment) -> str:
    """A plain-text report: red flags first, then the ranked options, then sources."""
    lines = ["Treatwise decision aid", "=" * 22, ""]
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
    head = f"{option.rank:2}. {name}: {STATUS_WORDS[option.status]} (fit {option.fit:.2f})"
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
    when = _when(rule.when)
    rows = [
        f"| {rule.id} | {rule.title} | {when} | {_selector(e.treatments)} | {_effect(e)} "
        f"| {_refs(e.references or rule.references)} |"
        for e in rule.effects
    ]
    if rule.red_flag:
        flag = rule.red_flag
        rows.append(
            f"| {rule.id} | {rule.title} | {when} | (person) | red flag: {flag.action} "
            f"| {_refs(flag.references)} |"
        )
    return rows


def _when(trigger: RuleTrigger) -> str:
    parts = [
        f"{key} {_value(value)}" for key, value in trigger.model_dump(exclude_defaults=True).items()
    ]
    return "; ".join(parts) or "always"


def _selector(selector: TreatmentSelector) -> str:
    if selector.all:
        return "every treatment"
    parts = list(selector.ids)
    parts += [
        f"{key}={str(value).lower()}"
        for key, value in selector.model_dump(exclude_defaults=True).items()
        if key not in ("ids", "all")
    ]
    return ", ".join(parts)


def _effect(effect: RuleEffect) -> str:
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


__all__ = ["assessment_json", "assessment_text", "rules_markdown"]
