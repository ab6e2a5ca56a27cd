"""What the decision aid says to do now: ``data/next-steps.yaml``, its model and its checks.

Contract v2's ``next_step`` says *what* comes first (see a doctor, wait, choose);
this data says *how*, in plain words with sources: for ``see_doctor``, who to
see, what to bring and what to ask (one default entry, and entries for
particular red flags); for ``wait``, until when, what is safe meanwhile and
when to come back, for every condition whose red flag says "wait".

The loader reads the file into ``KnowledgeBase.next_steps`` and adds
:func:`check` 's problems to its own: unknown ids, a missing default, a "wait"
condition without an entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from pydantic import Field

from treatwise.knowledge.schema import Cited, Id, Model, Text

if TYPE_CHECKING:
    from treatwise.knowledge.loader import KnowledgeBase, Problem

FILE = "next-steps.yaml"


class SeeDoctor(Model):
    """Who to see, what to bring and what to ask, for the red flags in ``about``."""

    about: tuple[Id, ...] = Field(
        default=(), description="Condition or concern ids of red flags; empty: the default"
    )
    who: Cited
    bring: tuple[Text, ...] = Field(min_length=1)
    ask: tuple[Text, ...] = Field(min_length=1)


class Wait(Model):
    """For a condition whose red flag says wait: until when, what is safe meanwhile."""

    condition: Id
    until: Text
    meanwhile: tuple[Cited, ...] = Field(min_length=1)
    come_back: Text


class NextSteps(Model):
    """The whole of ``next-steps.yaml``."""

    see_doctor: tuple[SeeDoctor, ...] = ()
    wait: tuple[Wait, ...] = ()

    def doctor_for(self, about: Iterable[str]) -> list[SeeDoctor]:
        """The entries for these red flags (condition or concern ids), else the default."""
        wanted = set(about)
        found = [entry for entry in self.see_doctor if wanted & set(entry.about)]
        default = [entry for entry in self.see_doctor if not entry.about]
        return found or default

    def wait_for(self, condition: str) -> Wait | None:
        """The entry for a condition whose red flag says wait."""
        return next((entry for entry in self.wait if entry.condition == condition), None)


def check(kb: KnowledgeBase, steps: NextSteps) -> list[Problem]:
    """Every id resolves; one default see_doctor entry; every "wait" condition has an entry."""
    from treatwise.knowledge.loader import Problem

    problems: list[Problem] = []

    def refs(where: str, references: Iterable[str]) -> None:
        problems.extend(
            Problem(FILE, where, f"unknown reference id {ref!r}")
            for ref in references
            if ref not in kb.references
        )

    defaults = [entry for entry in steps.see_doctor if not entry.about]
    if len(defaults) != 1:
        problems.append(Problem(FILE, "see_doctor", "needs exactly one entry without `about`"))
    known: Mapping[str, object] = {**kb.conditions, **kb.concerns}
    for i, entry in enumerate(steps.see_doctor):
        for about in entry.about:
            if about not in known:
                problems.append(
                    Problem(
                        FILE, f"see_doctor[{i}].about", f"unknown condition or concern {about!r}"
                    )
                )
        refs(f"see_doctor[{i}].who.references", entry.who.references)
    seen: set[str] = set()
    for i, wait in enumerate(steps.wait):
        if wait.condition not in kb.conditions:
            problems.append(
                Problem(FILE, f"wait[{i}].condition", f"unknown condition {wait.condition!r}")
            )
        if wait.condition in seen:
            problems.append(Problem(FILE, f"wait[{i}].condition", "listed twice"))
        seen.add(wait.condition)
        for j, point in enumerate(wait.meanwhile):
            refs(f"wait[{i}].meanwhile[{j}].references", point.references)
    for condition in kb.conditions.values():
        flag = condition.red_flag
        if flag is not None and flag.action == "wait" and condition.id not in seen:
            problems.append(
                Problem(FILE, "wait", f"no entry for {condition.id!r}, whose red flag says wait")
            )
    return problems


__all__ = ["FILE", "NextSteps", "SeeDoctor", "Wait", "check"]
