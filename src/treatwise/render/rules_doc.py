"""docs/rules.md: every safety rule id (R01–R32) with what it does and its sources, from the data.

A rule id comes from two places in the knowledge base: ``rules.yaml`` (cross-cutting
rules, with a title, a trigger and effects) and the ``rule`` field of the treatments'
contraindication rows (condition rules). This module lists, for each id, its title
where the data has one, where it applies (treatment, condition, level, settings, or
the trigger and effect) and the references behind it. ``tests/test_rules_doc.py``
fails when docs/rules.md no longer matches.
"""

from __future__ import annotations

import re
from collections import defaultdict

from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Contraindication, Rule
from treatwise.render.assessment import describe_effect, describe_selector, describe_trigger

HEADER = """# Safety rules R01–R32 and their sources

Generated from the knowledge base (`rules.yaml` and the `rule` field of each
treatment's contraindication rows) by `treatwise.render.rules_doc`; do not edit by
hand. Regenerate with `TREATWISE_UPDATE_DOCS=1 .venv/bin/pytest tests/test_rules_doc.py`.
Ids, levels and statuses are the vocabulary of [design.md](design.md); how the decision
aid applies these rules is in [decision-aid.md](decision-aid.md). References are listed
by id with their title and year; the full entries are in `knowledge/data/references*`.
"""


def rules_doc(kb: KnowledgeBase) -> str:
    """The whole of docs/rules.md for this knowledge base."""
    cross = {rule.id: rule for rule in kb.rules.rules}
    rows: dict[str, list[tuple[str, Contraindication]]] = defaultdict(list)
    for treatment in kb.treatments.values():
        for row in treatment.contraindications:
            if row.rule:
                rows[row.rule].append((treatment.id, row))
    out = [HEADER]
    for rule_id in sorted({*cross, *rows}, key=_order):
        out += _section(kb, rule_id, cross.get(rule_id), rows.get(rule_id, []))
    return "\n".join(out).rstrip("\n") + "\n"


def _order(rule_id: str) -> tuple[int, str]:
    match = re.match(r"R(\d+)(.*)", rule_id)
    return (int(match.group(1)), match.group(2)) if match else (10_000, rule_id)


def _section(
    kb: KnowledgeBase, rule_id: str, rule: Rule | None, rows: list[tuple[str, Contraindication]]
) -> list[str]:
    title = f": {rule.title}" if rule is not None else ""
    out = [f"## {rule_id}{title}", ""]
    refs: list[str] = []
    if rule is not None:
        out.append(f"Cross-cutting rule (`rules.yaml`), when {describe_trigger(rule.when)}:")
        out.append("")
        for effect in rule.effects:
            out.append(f"- {describe_selector(effect.treatments)}: {describe_effect(effect)}")
            refs += effect.references or rule.references
        if rule.red_flag:
            out.append(f"- the person: red flag, {rule.red_flag.action}")
            refs += rule.red_flag.references
        out.append("")
    if rows:
        out += ["| Treatment | Condition | Level | Settings |", "|---|---|---|---|"]
        for treatment_id, row in sorted(rows, key=lambda r: (r[0], r[1].condition)):
            settings = ", ".join(row.settings)
            out.append(f"| {treatment_id} | {row.condition} | {row.level} | {settings} |")
            refs += row.references
        out.append("")
    out += ["Sources:", ""]
    out += [_reference(kb, ref_id) for ref_id in dict.fromkeys(refs)] or ["- (none in the data)"]
    out.append("")
    return out


def _reference(kb: KnowledgeBase, ref_id: str) -> str:
    ref = kb.references.get(ref_id)
    if ref is None:
        return f"- `{ref_id}`"
    year = f" ({ref.year})" if ref.year else ""
    return f"- `{ref_id}`: {ref.title}{year}"
