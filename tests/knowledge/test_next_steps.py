"""``next-steps.yaml``: what the result page says to do now, loaded and cross-checked."""

from __future__ import annotations

from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.next_steps import NextSteps, SeeDoctor, Wait, check
from treatwise.knowledge.schema import Cited


def test_the_packaged_next_steps_load_and_pass_their_checks(kb: KnowledgeBase) -> None:
    steps = kb.next_steps
    assert steps.see_doctor and steps.wait
    assert check(kb, steps) == []


def test_every_wait_red_flag_has_what_to_do_meanwhile(kb: KnowledgeBase) -> None:
    for condition in kb.conditions.values():
        if condition.red_flag is not None and condition.red_flag.action == "wait":
            entry = kb.next_steps.wait_for(condition.id)
            assert entry is not None, condition.id
            assert all(point.references for point in entry.meanwhile)


def test_doctor_for_picks_the_specific_entry_else_the_default(kb: KnowledgeBase) -> None:
    hair = kb.next_steps.doctor_for(["hair-loss"])
    assert [e.about for e in hair] == [("hair-loss",)]
    default = kb.next_steps.doctor_for(["suspicious-lesion"])
    assert [e.about for e in default] == [()]


def _doctor(*about: str, ref: str = "s34") -> SeeDoctor:
    return SeeDoctor(
        about=about, who=Cited(text="A doctor.", references=(ref,)), bring=("x",), ask=("y",)
    )


def test_check_reports_unknown_ids_a_missing_default_and_a_missing_wait(
    kb: KnowledgeBase,
) -> None:
    steps = NextSteps(
        see_doctor=(_doctor("not-a-condition", ref="no-such-ref"),),
        wait=(
            Wait(
                condition="no-such-condition",
                until="Later.",
                meanwhile=(Cited(text="Rest.", references=("no-such-ref",)),),
                come_back="Then.",
            ),
        ),
    )
    messages = [f"{p.field}: {p.message}" for p in check(kb, steps)]
    text = "\n".join(messages)
    assert "needs exactly one entry without `about`" in text
    assert "unknown condition or concern 'not-a-condition'" in text
    assert "unknown reference id 'no-such-ref'" in text
    assert "unknown condition 'no-such-condition'" in text
    assert "no entry for 'pregnant', whose red flag says wait" in text
