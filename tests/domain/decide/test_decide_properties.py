"""Properties of the decision aid over generated intakes (Hypothesis; 2,000 examples in CI).

Each test draws intakes from the packaged knowledge base's own ids, so the
properties hold for the real data, not for a toy.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from treatwise.domain.decide import Assessment, assess, parse_intake
from treatwise.domain.decide.screening import LEVEL_STATUS, STRICTNESS
from treatwise.knowledge import load
from treatwise.knowledge.schema import SETTINGS

KB = load()
CONCERNS = sorted(KB.concerns)
CONDITIONS = sorted(KB.conditions)
SUPPORTED = {"high", "moderate", "low"}
GROUP = {"suitable": 0, "caution": 0, "doctor_review": 1, "wait": 2, "not_suitable": 3}


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


preferences = st.fixed_dictionaries(
    {},
    optional={
        "max_downtime_days": st.integers(0, 30),
        "avoid_needles": st.booleans(),
        "avoid_injections": st.booleans(),
        "budget_per_session_usd": st.floats(0, 5000, allow_nan=False).map(lambda x: round(x, 2)),
        "max_sessions": st.integers(1, 12),
    },
)
intakes = st.fixed_dictionaries(
    {
        "age": st.one_of(st.integers(0, 120), st.integers(14, 20)),
        "concerns": st.lists(st.sampled_from(CONCERNS), min_size=1, max_size=4, unique=True),
    },
    optional={
        "sex": st.sampled_from(["female", "male", "other"]),
        "fitzpatrick": st.integers(1, 6),
        "conditions": st.lists(st.sampled_from(CONDITIONS), max_size=5, unique=True),
        "setting": st.sampled_from(SETTINGS),
        "preferences": preferences,
    },
)


def run(data: dict[str, Any]) -> Assessment:
    return assess(KB, parse_intake(KB, data))


@given(intakes)
def test_contract_invariants(data: dict[str, Any]) -> None:
    result = run(data)
    # every treatment exactly once, ranked 1..N, grouped by safety then fit then id
    assert sorted(o.treatment for o in result.options) == sorted(KB.treatments)
    assert [o.rank for o in result.options] == list(range(1, len(KB.treatments) + 1))
    keys = [(GROUP[o.status], -o.fit, o.treatment) for o in result.options]
    assert keys == sorted(keys)
    assert all(0.0 <= o.fit <= 1.0 for o in result.options)
    # same input, byte-identical output
    assert run(data).model_dump_json() == result.model_dump_json()
    # see_doctor_first exactly when a red flag says so
    assert result.see_doctor_first == any(f.action == "see_doctor" for f in result.red_flags)
    _check_best(result)
    _check_citations(result)
    _check_combinations(result)


def _check_best(result: Assessment) -> None:
    eligible = [
        o.treatment
        for o in result.options
        if o.status in ("suitable", "caution", "doctor_review")
        and any(c.evidence in SUPPORTED for c in o.concerns)
    ]
    assert result.best == (eligible[0] if eligible else None)


def _check_citations(result: Assessment) -> None:
    for option in result.options:
        for reason in option.reasons:
            if reason.kind in ("contraindication", "caution", "evidence"):
                assert reason.references, f"{option.treatment}: uncited {reason.kind}"
            assert set(reason.references) <= set(KB.references)
    for flag in result.red_flags:
        assert flag.references and set(flag.references) <= set(KB.references)


def _check_combinations(result: Assessment) -> None:
    status = {o.treatment: o.status for o in result.options}
    for combo in result.combinations:
        assert all(status[t] != "not_suitable" for t in combo.treatments)


@given(intakes)
def test_a_stated_contraindication_is_never_relaxed(data: dict[str, Any]) -> None:
    intake = parse_intake(KB, data)
    result = assess(KB, intake)
    options = {o.treatment: o for o in result.options}
    for treatment in KB.treatments.values():
        for row in treatment.contraindications:
            if row.level == "none":  # a decided pair with no known restriction
                continue
            if row.condition in intake.conditions and intake.setting in row.settings:
                status = options[treatment.id].status
                assert STRICTNESS[status] >= STRICTNESS[LEVEL_STATUS[row.level]]
                if row.level == "absolute":
                    assert status == "not_suitable"
                    assert result.best != treatment.id


# A doctor's diagnosis of pattern hair loss is what rule R25 asks for before any hair-loss
# treatment (issue 11: every option for undiagnosed hair loss is at least doctor_review), so
# stating it may relax a status: the one enabling condition, left out of this property.
ENABLING = {"hair-loss-diagnosed"}


@given(intakes, st.sampled_from([c for c in CONDITIONS if c not in ENABLING]))
def test_adding_a_condition_never_makes_a_status_less_strict(
    data: dict[str, Any], extra: str
) -> None:
    before = {o.treatment: o.status for o in run(data).options}
    stated = data.get("conditions", [])
    more = {**data, "conditions": [*stated, *([extra] if extra not in stated else [])]}
    after = {o.treatment: o.status for o in run(more).options}
    for treatment, status in before.items():
        assert STRICTNESS[after[treatment]] >= STRICTNESS[status], treatment


@given(intakes)
def test_avoiding_needles_puts_supported_needle_free_options_first(data: dict[str, Any]) -> None:
    prefs = {**data.get("preferences", {}), "avoid_needles": True}
    result = run({**data, "preferences": prefs})
    for group in set(GROUP.values()):
        ranked = [o for o in result.options if GROUP[o.status] == group]
        needle = [o.rank for o in ranked if KB.treatments[o.treatment].modality.needles]
        free = [
            o.rank
            for o in ranked
            if not KB.treatments[o.treatment].modality.needles
            and any(c.evidence in SUPPORTED for c in o.concerns)
        ]
        if needle and free:
            assert max(free) < min(needle)
