"""Which health questions to ask a person: a condition's ``ask_if`` (sex, concerns).

A question is asked when every given field of ``ask_if`` holds: ``sex`` (a person
who gave no sex is asked, so nobody is skipped by omission) and ``concerns_any``
(one of the person's concerns is listed). A condition without ``ask_if`` is
always asked. The web form and the interactive CLI ask exactly these questions;
an asked question left unanswered is sent as ``unsure``, never as "no".
"""

from __future__ import annotations

from collections.abc import Iterable

from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Condition


def asks(condition: Condition, *, sex: str | None, concerns: Iterable[str]) -> bool:
    """Whether the decision aid asks this condition's question of this person."""
    rule = condition.ask_if
    if rule.sex and sex is not None and sex not in rule.sex:
        return False
    return not rule.concerns_any or bool(set(rule.concerns_any) & set(concerns))


def questions(kb: KnowledgeBase, *, sex: str | None, concerns: Iterable[str]) -> list[Condition]:
    """The conditions to ask about, in the knowledge base's order."""
    wanted = tuple(concerns)
    return [c for c in kb.conditions.values() if asks(c, sex=sex, concerns=wanted)]


__all__ = ["asks", "questions"]
