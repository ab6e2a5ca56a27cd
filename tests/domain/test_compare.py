"""compare(kb, a, b): every row for every pair, references that resolve, derived key points."""

from __future__ import annotations

from itertools import permutations

import pytest
from compare_factory import rng, variant, with_treatments

from treatwise.domain.compare import (
    ROW_IDS,
    CompareError,
    Comparison,
    Contrast,
    alike,
    compare,
)
from treatwise.domain.compare.build import _key_cell
from treatwise.domain.compare.cells import NOT_SOURCED
from treatwise.domain.compare.wording import number, sentence, span, strictest
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Cited, Combination, Contraindication, Modality, Pain

CONTENT_ROWS = [r for r in ROW_IDS if not r.startswith("key-")]


def _point(c: Comparison, kind: str, subject: str = "") -> Contrast:
    for point in (*c.differences, *c.similarities):
        if point.kind == kind and point.subject == subject:
            return point
    raise AssertionError(f"no {kind} point about {subject!r}")


def _kinds(c: Comparison) -> set[str]:
    return {p.kind for p in (*c.differences, *c.similarities)}


def test_microneedling_vs_mesotherapy_has_every_row_with_sources(kb: KnowledgeBase) -> None:
    c = compare(kb, "microneedling", "mesotherapy")
    assert [row.id for row in c.rows] == list(ROW_IDS)
    assert (c.a.id, c.b.id) == ("microneedling", "mesotherapy")
    for row in c.rows:
        for cell in (row.a, row.b):
            assert cell.text
            assert cell.references, row.id
            assert all(ref in kb.references for ref in cell.references)
            for item in cell.items:
                assert item.references and all(ref in kb.references for ref in item.references)
    treats = c.row("treats")
    assert {i.label for i in treats.a.items} >= {"Acne scars", "Stretch marks"}
    assert treats.a.items[0].tag == "moderate"  # best-supported first
    assert {i.tag for i in c.row("harms").b.items} == {"common", "uncommon", "serious"}


def test_every_pair_compares(kb: KnowledgeBase) -> None:
    for a, b in permutations(kb.treatments, 2):
        c = compare(kb, a, b)
        assert [row.id for row in c.rows] == list(ROW_IDS)
        assert all(cell.text for row in c.rows for cell in (row.a, row.b))
        assert set(c.references) <= set(kb.references)
        assert all(p.differs for p in c.differences)
        assert not any(p.differs for p in c.similarities)
        assert all(p.references for p in (*c.differences, *c.similarities))
        assert c.differences, (a, b)  # two distinct treatments always differ somewhere
        reverse = compare(kb, b, a)
        assert len(reverse.differences) == len(c.differences)


def test_key_rows_list_the_contrasts(kb: KnowledgeBase) -> None:
    c = compare(kb, "microneedling", "mesotherapy")
    row = c.row("key-differences")
    assert [i.label for i in row.a.items] == [p.label for p in c.differences]
    assert [i.text for i in row.b.items] == [p.b for p in c.differences]
    similar = c.row("key-similarities")
    assert [i.text for i in similar.a.items] == [p.a for p in c.similarities]


def test_known_points_for_the_first_pair(kb: KnowledgeBase) -> None:
    c = compare(kb, "microneedling", "mesotherapy")
    injection = _point(c, "modality", "injection")
    assert (
        injection.differs and injection.more == "b" and (injection.a, injection.b) == ("no", "yes")
    )
    needles = _point(c, "modality", "needles")
    assert not needles.differs
    acne = _point(c, "evidence", "acne-scars")
    assert (acne.a_key, acne.b_key, acne.more) == ("moderate", "very_low", "a")
    cellulite = _point(c, "evidence", "cellulite")
    assert cellulite.b_key == "advised_against" and cellulite.more == "a"
    depth = _point(c, "depth")
    assert depth.differs and depth.more == "b"
    # Issue 11: pregnancy is a temporary state (wait), for both treatments (s34, s120).
    assert _point(c, "contraindication", "pregnant").a_key == "temporary"
    iso = _point(c, "contraindication", "isotretinoin-current")
    assert iso.a_key == "doctor_review|absolute" and "elsewhere" in iso.a


def test_unknown_or_repeated_ids_name_the_valid_ones(kb: KnowledgeBase) -> None:
    with pytest.raises(CompareError) as bad:
        compare(kb, "botox", "mesotherapy")
    assert bad.value.field == "a" and "microneedling" in bad.value.valid
    assert "valid ids: chemical-peel" in str(bad.value)
    with pytest.raises(CompareError) as second:
        compare(kb, "microneedling", "")
    assert second.value.field == "b"
    with pytest.raises(CompareError, match="two different"):
        compare(kb, "mesotherapy", "mesotherapy")


def test_comparison_accessors(kb: KnowledgeBase) -> None:
    c = compare(kb, "prp", "microneedling")
    assert c.treatment("a").id == "prp" and c.treatment("b").id == "microneedling"
    row = c.row("cost")
    assert row.cell("a") is row.a and row.cell("b") is row.b
    with pytest.raises(KeyError, match="valid: what-it-is"):
        c.row("nope")
    assert len(c.references) == len(set(c.references))


def test_key_points_follow_the_data_not_the_pair(kb: KnowledgeBase) -> None:
    micro, meso = kb.treatments["microneedling"], kb.treatments["mesotherapy"]
    assert _point(compare(kb, "microneedling", "mesotherapy"), "downtime").differs
    same = variant(meso, downtime_days=micro.downtime_days)
    assert not _point(
        compare(with_treatments(kb, same), "microneedling", "mesotherapy"), "downtime"
    ).differs
    no_needles = variant(meso, modality=Modality(needles=False, injection=True))
    point = _point(
        compare(with_treatments(kb, no_needles), "microneedling", "mesotherapy"),
        "modality",
        "needles",
    )
    assert point.differs and point.more == "a"


def test_ranges_alike_rule() -> None:
    assert alike((3, 6), (3, 6))
    assert alike((2, 4), (2, 6))  # 6 - 4 <= 6 / 3
    assert alike((0, 3), (1, 3), slack=1)
    assert not alike((0, 3), (1, 3))  # without slack, 0 and 1 are far apart
    assert not alike((0, 5), (5, 7), slack=1)
    assert not alike((0.25, 2.5), (1, 12))
    assert alike((0, 0), (0, 0))


def test_range_direction_and_containment(kb: KnowledgeBase) -> None:
    micro, meso = kb.treatments["microneedling"], kb.treatments["mesotherapy"]
    wide = variant(meso, downtime_days=rng(0, 14))
    inner = variant(micro, downtime_days=rng(2, 3))
    c = compare(with_treatments(kb, wide, inner), "microneedling", "mesotherapy")
    assert _point(c, "downtime").more is None  # a wider spread is not "more"
    later = variant(meso, downtime_days=rng(10, 14))
    c = compare(with_treatments(kb, later, inner), "microneedling", "mesotherapy")
    assert _point(c, "downtime").more == "b"


def test_missing_figures_are_not_compared(kb: KnowledgeBase) -> None:
    micro, meso = kb.treatments["microneedling"], kb.treatments["mesotherapy"]
    no_depth = variant(meso, layer=meso.layer.model_copy(update={"depth_mm": None}))
    no_cost = variant(micro, cost=None, pain=Pain(text="Some.", references=("s01",)))
    c = compare(with_treatments(kb, no_depth, no_cost), "microneedling", "mesotherapy")
    assert not {"depth", "cost", "pain"} & _kinds(c)
    assert c.row("cost").a.text.endswith(NOT_SOURCED) and c.row("cost").a.references == ()


def test_pain_scores_are_compared_when_both_measured(kb: KnowledgeBase) -> None:
    # The pain score (2.39 against 5.23) is the non-ablative laser's (s14), since contract v2.
    c = compare(kb, "microneedling", "non-ablative-laser")
    pain = _point(c, "pain")
    assert pain.differs and pain.more == "a"
    assert "out of 10" in c.row("pain").a.text


def test_daily_topical_against_a_course_of_sessions(kb: KnowledgeBase) -> None:
    c = compare(kb, "topical-minoxidil", "prp")
    course = _point(c, "sessions")
    assert (course.a_key, course.b_key) == ("daily", "sessions")
    assert "months of daily use" in course.a
    assert "interval" not in _kinds(c)
    assert "daily use" in c.row("sessions").a.text
    cost = _point(c, "cost")
    assert (cost.a_key, cost.b_key, cost.more) == ("month", "course", None)
    assert c.row("downtime").a.text.startswith("None")
    both_daily = compare(kb, "topical-minoxidil", "topical-retinoid")
    assert _point(both_daily, "sessions").kind == "sessions"
    assert "interval" not in _kinds(both_daily)


def test_same_cost_basis_is_compared_by_amount(kb: KnowledgeBase) -> None:
    cost = _point(compare(kb, "microneedling", "cryolipolysis"), "cost")
    assert cost.differs and cost.more == "b"
    overlapping = _point(compare(kb, "cryolipolysis", "deoxycholic-acid"), "cost")
    assert overlapping.differs and overlapping.more is None  # one range contains the other
    meso = kb.treatments["mesotherapy"]
    assert meso.cost is not None
    near = variant(meso, cost=meso.cost.model_copy(update={"min_usd": 120, "max_usd": 900}))
    close = _point(compare(with_treatments(kb, near), "microneedling", "mesotherapy"), "cost")
    assert not close.differs and close.a_key == "alike"


def test_empty_lists_say_so(kb: KnowledgeBase) -> None:
    micro = kb.treatments["microneedling"]
    bare = variant(micro, combinations=(), contraindications=())
    c = compare(with_treatments(kb, bare), "microneedling", "mesotherapy")
    assert c.row("combinations").a.text.startswith("No combination")
    assert c.row("contraindications").a.text.startswith("No contraindication")
    assert c.row("combinations").a.references == ()


def test_unknown_vocabulary_still_compares(kb: KnowledgeBase) -> None:
    """Ids the KB does not name (possible in hand-built data) are shown as ids, last."""
    micro, meso = kb.treatments["microneedling"], kb.treatments["mesotherapy"]
    extra_ind = micro.indications[0].model_copy(update={"concern": "zz-new"})
    extra_ci = Contraindication(
        condition="zz-cond", level="caution", text="Care.", references=("s01",), settings=("salon",)
    )
    combo = Combination(
        **{"with": "zz-other"}, concerns=("zz-new",), evidence="low", text="T.", references=("s01",)
    )
    odd = variant(
        micro,
        indications=(*micro.indications, extra_ind),
        contraindications=(*micro.contraindications, extra_ci),
        combinations=(combo,),
    )
    c = compare(with_treatments(kb, odd), "microneedling", "mesotherapy")
    assert c.differences[-1].subject == "zz-cond"
    assert _point(c, "evidence", "zz-new").label == "Evidence for zz-new"
    assert c.row("combinations").a.items[0].label == "zz-other"
    assert "salon only" in c.row("contraindications").a.text
    assert any(i.detail == "Applies in: salon" for i in c.row("contraindications").a.items)
    assert meso.id == "mesotherapy"


def test_no_points_is_said(kb: KnowledgeBase) -> None:
    cell = _key_cell((), "a")
    assert (cell.text, cell.references, cell.items) == ("None found in the data.", (), ())
    micro = kb.treatments["microneedling"]
    assert Comparison(micro, micro, (), (), ()).references == ()


def test_wording_helpers() -> None:
    assert number(2.0) == "2" and number(0.25) == "0.25" and number(1000) == "1,000"
    assert span(1, 1, "days", singular="day") == "1 day"
    assert span(1, 3, "days", singular="day") == "1–3 days"
    assert span(2, 2) == "2"
    assert sentence("a", " ", "b.", "c?") == "a. b. c?"
    assert strictest(()) == "none"
    assert strictest(("caution", "absolute")) == "absolute"


def test_cited_cells_copy_their_sources(kb: KnowledgeBase) -> None:
    micro = kb.treatments["microneedling"]
    c = compare(kb, "microneedling", "mesotherapy")
    assert c.row("mechanism").a.references == micro.mechanism.references
    assert c.row("practitioners").a.text == micro.practitioners.text
    procedure = c.row("procedure").a
    assert {i.label for i in procedure.items} >= {"Before", "Numbing", "Step", "Results"}
    assert isinstance(micro.summary, Cited)
