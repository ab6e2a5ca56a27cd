"""The bibliography, concerns and conditions: complete, locatable, and safe in what they say.

The files are parsed with the schema models directly (the way the loader reads them:
``references.yaml`` plus ``references/*.yaml``), so these tests do not depend on the
treatment files of other authors being finished.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from treatwise.knowledge.loader import default_data_dir
from treatwise.knowledge.schema import Concern, Condition, Reference
from treatwise.knowledge.vocabulary import CONCERN_IDS, CONDITION_IDS

DATA = default_data_dir()


def _section9_ids() -> set[str]:
    """Every source tag of research/domain-facts.md section 9, as bibliography ids."""
    numbered = [*range(1, 66), *range(70, 128), *range(130, 168), 170]
    lettered = ["07b", "33b", "36b", "57b", "61b", "65b", "83b", "118b", "118c", "125b", "140b"]
    lettered += ["165b", *(f"92{letter}" for letter in "abcdef")]
    ids = {f"s{n:02d}" for n in numbered} | {f"s{tag}" for tag in lettered}
    return ids - {"s92"}  # S92 exists only as S92a–S92f


SECTION9 = _section9_ids()

# Conditions whose red flag the research supports, and the action it takes (rules R01–R18).
SEE_DOCTOR = {
    "cold-sore-history",
    "active-inflammatory-acne",
    "isotretinoin-current",
    "isotretinoin-recent",
    "keloid-tendency",
    "anticoagulants",
    "bleeding-disorder",
    "immunosuppressed",
    "recent-radiation",
    "uncontrolled-diabetes",
    "suspicious-lesion",
    "pacemaker",
    "trouble-swallowing",  # v2: deoxycholic acid label (avoid with past or present dysphagia)
    "autoimmune-disease",
}
WAIT = {
    "pregnant",
    "breastfeeding",
    "active-skin-infection",
    "active-cold-sore",
    "active-dermatitis",
    "recent-sunburn",
}


def _read(path: Path, key: str) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get(key), list), f"{path}: {key}"
    return data[key]


@pytest.fixture(scope="module")
def main_refs() -> list[Reference]:
    return [
        Reference.model_validate(item) for item in _read(DATA / "references.yaml", "references")
    ]


@pytest.fixture(scope="module")
def bibliography(main_refs: list[Reference]) -> dict[str, Reference]:
    refs = list(main_refs)
    for path in sorted((DATA / "references").glob("*.yaml")):
        refs += [Reference.model_validate(item) for item in _read(path, "references")]
    ids = [ref.id for ref in refs]
    duplicates = sorted({ref_id for ref_id in ids if ids.count(ref_id) > 1})
    assert not duplicates, f"reference ids defined twice: {duplicates}"
    return {ref.id: ref for ref in refs}


@pytest.fixture(scope="module")
def concerns() -> list[Concern]:
    return [Concern.model_validate(item) for item in _read(DATA / "concerns.yaml", "concerns")]


@pytest.fixture(scope="module")
def conditions() -> dict[str, Condition]:
    items = [Condition.model_validate(i) for i in _read(DATA / "conditions.yaml", "conditions")]
    assert len({c.id for c in items}) == len(items), "a condition id appears twice"
    return {condition.id: condition for condition in items}


# --- the bibliography -------------------------------------------------------------------


NO_RECORD = "no record of its own found; its statements rest on confirmed sources instead"
DROPPED_BY_SOURCE_POLICY = {
    "s61b": "an AI-written page, cited nowhere",
    "s158": "a content-farm page, cited nowhere",
    # Issue 12, third pass: unconfirmed and no longer needed (each statement re-sourced).
    **dict.fromkeys(
        ["s30", "s44", "s51", "s52", "s56", "s58", "s70", "s72", "s77", "s81", "s82", "s93", "s96"],
        NO_RECORD,
    ),
    **dict.fromkeys(
        ["s101", "s103", "s107", "s109", "s111", "s112", "s115", "s117", "s127", "s73"], NO_RECORD
    ),
    # Second pass: microneedling and fractional laser; alternatives.
    **dict.fromkeys(["s10", "s17", "s18", "s23"], NO_RECORD),
    **dict.fromkeys(["s161", "s163", "s165", "s167"], NO_RECORD),
    "s160": "a Tressless summary of an unnamed review, cited nowhere (s159 carries the work-up)",
}
"""Research sources left out of the bibliography by the source policy (knowledge/sources.py)."""


def test_every_section9_source_is_in_the_bibliography(main_refs: list[Reference]) -> None:
    ids = {ref.id for ref in main_refs}
    assert sorted(SECTION9 - ids - DROPPED_BY_SOURCE_POLICY.keys()) == []
    assert sorted(ids - SECTION9) == [], "references.yaml holds only the research sources"
    assert sorted(ids & DROPPED_BY_SOURCE_POLICY.keys()) == [], "a dropped source is back"
    assert len(main_refs) == len(ids), "a research source appears twice"


def test_every_reference_can_be_found(bibliography: dict[str, Reference]) -> None:
    for ref in bibliography.values():
        assert ref.pmid or ref.doi or ref.url or ref.unverified, ref.id
        assert ref.doi is None or ref.doi.startswith("10."), ref.id
        assert ref.url is None or re.match(r"^https?://", ref.url), ref.id
        assert ref.pmid is None or ref.pmid.isdigit(), ref.id


def test_extra_sources_never_look_like_research_sources(
    bibliography: dict[str, Reference],
) -> None:
    """Ids outside section 9 of the research notes have a prefix (``x-``, ``sa-``, ``cm-``…),
    never the research notes' ``s<number>`` shape."""
    extra = [ref_id for ref_id in bibliography if ref_id not in SECTION9]
    assert all(re.fullmatch(r"[a-z][a-z0-9]*-[a-z0-9-]+", ref_id) for ref_id in extra), extra
    assert not [ref_id for ref_id in extra if re.fullmatch(r"s[0-9]+[a-z]?", ref_id)]


def test_quality_follows_the_study_type(bibliography: dict[str, Reference]) -> None:
    for ref in bibliography.values():
        if ref.study_type in {"clinic-page", "case-report"}:
            assert ref.quality == "low", ref.id
        if ref.study_type in {"guideline", "systematic-review", "regulatory"}:
            assert ref.quality != "low", ref.id


@pytest.mark.parametrize(
    ("ref_id", "pmid", "doi"),
    [
        ("s03", "33376377", "10.2147/CCID.S267192"),
        ("s07", "26549251", "10.1016/j.jaad.2015.09.024"),
        ("s28", None, "10.1097/DSS.0000000000001166"),
        ("s136", "23378706", "10.4103/0974-2077.104912"),
    ],
)
def test_identifiers_are_copied_from_the_research(
    main_refs: list[Reference], ref_id: str, pmid: str | None, doi: str | None
) -> None:
    """The research's identifiers are kept; the identifier check may add the missing one."""
    ref = next(r for r in main_refs if r.id == ref_id)
    assert pmid is None or ref.pmid == pmid
    assert doi is None or ref.doi == doi


# --- concerns ---------------------------------------------------------------------------


def test_every_design_concern_is_described(concerns: list[Concern]) -> None:
    ids = [concern.id for concern in concerns]
    assert len(set(ids)) == len(ids), "a concern id appears twice"
    assert sorted(set(CONCERN_IDS) - set(ids)) == []
    for concern in concerns:
        assert concern.name and concern.description.endswith("."), concern.id


def test_concern_areas(concerns: list[Concern]) -> None:
    area = {concern.id: concern.area for concern in concerns}
    assert area["hair-loss"] == "scalp"
    assert area["double-chin"] == "chin"
    assert area["localized-fat"] == "body"


# --- conditions -------------------------------------------------------------------------


def test_every_design_condition_has_a_question(conditions: dict[str, Condition]) -> None:
    assert sorted(set(CONDITION_IDS) - set(conditions)) == []
    for condition in conditions.values():
        assert condition.question.endswith("?"), condition.id
        assert condition.name and condition.description, condition.id


def test_red_flags_take_the_researched_action(conditions: dict[str, Condition]) -> None:
    actions = {cid: c.red_flag.action for cid, c in conditions.items() if c.red_flag}
    assert {cid for cid, action in actions.items() if action == "see_doctor"} == SEE_DOCTOR
    assert {cid for cid, action in actions.items() if action == "wait"} == WAIT
    assert conditions["hair-loss-diagnosed"].red_flag is None, "an enabling condition"


def test_red_flags_cite_existing_references(
    conditions: dict[str, Condition], bibliography: dict[str, Reference]
) -> None:
    for condition in conditions.values():
        if condition.red_flag is not None:
            missing = [r for r in condition.red_flag.references if r not in bibliography]
            assert missing == [], condition.id


def test_no_red_flag_rests_on_low_quality_sources_alone_except_practice_norms(
    conditions: dict[str, Condition], bibliography: dict[str, Reference]
) -> None:
    # Postponing for sunburn, radiotherapy, pacemakers and autoimmune disease rests on
    # clinic practice only (research section 8 marks the rest UNSOURCED); every other
    # red flag cites at least one source above clinic-page level.
    practice_only = {"recent-sunburn", "recent-radiation", "pacemaker", "autoimmune-disease"}
    for cid, condition in conditions.items():
        if condition.red_flag is None or cid in practice_only:
            continue
        types = {bibliography[r].study_type for r in condition.red_flag.references}
        assert types - {"clinic-page", "news"}, cid


def test_no_text_advises_stopping_a_medicine(conditions: dict[str, Condition]) -> None:
    # Research section 5 item 8: never advise stopping a prescribed medicine. A sentence
    # that says "stop" about a medicine must say not to ("never stop", "do not stop").
    stop = re.compile(r"\bstop(ping)?\b", re.IGNORECASE)
    medicine = re.compile(r"medicin|medication|tablet|thinner|isotretinoin", re.IGNORECASE)
    negated = re.compile(r"\b(never|do not|don't) stop", re.IGNORECASE)
    for condition in conditions.values():
        texts = [condition.question, condition.description]
        if condition.red_flag is not None:
            texts.append(condition.red_flag.text)
        for sentence in (s for text in texts for s in re.split(r"(?<=[.?!;:])\s", text)):
            if stop.search(sentence) and medicine.search(sentence):
                assert negated.search(sentence), f"{condition.id}: {sentence}"


def test_the_checks_above_catch_unsafe_advice() -> None:
    unsafe = {
        "id": "anticoagulants",
        "name": "Blood thinners",
        "description": "Taking a blood thinner.",
        "question": "Do you take a blood thinner?",
        "red_flag": {
            "action": "see_doctor",
            "text": "Stop taking your blood thinner a week before the treatment.",
            "references": ["s61"],
        },
    }
    condition = Condition.model_validate(unsafe)
    with pytest.raises(AssertionError):
        test_no_text_advises_stopping_a_medicine({condition.id: condition})


def test_isotretinoin_flags_keep_the_medicine(conditions: dict[str, Condition]) -> None:
    flag = conditions["isotretinoin-current"].red_flag
    assert flag is not None and "Keep taking" in flag.text
    flag = conditions["anticoagulants"].red_flag
    assert flag is not None and "never stop" in flag.text
