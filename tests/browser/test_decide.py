"""The four users of issue 13 walk the stepped form on a 390 px phone (no JavaScript needed).

Each result's first screen (390 × 844) must say what to do now; nothing is
presented as a recommendation against the safety flags; screenshots of every
step and result are written to test-artifacts/screenshots for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support.browserkit import SHOTS, axe_violations, fill_intake

pytestmark = pytest.mark.browser

FIRST_SCREEN = 844
USERS: dict[str, dict[str, Any]] = {
    "hair-loss": {
        "concerns": ["hair-loss"],
        "age": "29",
        "sex": "female",
        "fitzpatrick": "2",
        "setting": "medical",
    },
    "pregnant": {
        "concerns": ["acne-scars"],
        "age": "31",
        "sex": "female",
        "fitzpatrick": "3",
        "setting": "medical",
        "condition": "pregnant",
    },
    "acne-scars-type-3": {
        "concerns": ["acne-scars"],
        "age": "27",
        "sex": "male",
        "fitzpatrick": "3",
        "setting": "medical",
        "considering": "mesotherapy",
    },
    "acne-scars-double-chin": {
        "concerns": ["acne-scars", "double-chin"],
        "age": "42",
        "sex": "female",
        "fitzpatrick": "2",
        "setting": "medical",
        "unsure": ["trouble-swallowing"],
        "skip": ["neck-surgery-history"],
    },
}


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A 390 × 844 px phone with JavaScript off: the form must work without it."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    try:
        yield context.new_page()
    finally:
        context.close()


def _walk(phone: Any, server: str, name: str) -> None:
    phone.goto(server + "/decide")
    fill_intake(phone, USERS[name])
    phone.screenshot(path=str(SHOTS / f"decide-{name}-step3-390.png"), full_page=True)
    phone.get_by_role("button", name="See my answer").click()
    phone.wait_for_load_state()
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / f"decide-{name}-result-390.png"))  # the first screen
    phone.screenshot(path=str(SHOTS / f"decide-{name}-result-full-390.png"), full_page=True)


def _on_first_screen(phone: Any, selector: str) -> bool:
    box = phone.locator(selector).first.bounding_box()
    return box is not None and box["y"] < FIRST_SCREEN


def _visible_text_of_first_screen(phone: Any) -> str:
    texts = []
    for element in phone.locator("main h1, main h2, main h3, main p, main li, main .badge").all():
        box = element.bounding_box()
        if box is not None and box["y"] < FIRST_SCREEN and element.is_visible():
            texts.append(element.inner_text())
    return "\n".join(texts)


def test_undiagnosed_hair_loss_sees_a_doctor_first(phone: Any, server: str) -> None:
    _walk(phone, server, "hair-loss")
    assert phone.locator("h1").inner_text() == "See a doctor before any treatment"
    first = _visible_text_of_first_screen(phone)
    assert "What to do now" in first
    assert "Suitable" not in first and "No safety problem found" not in first
    assert "Who to see" in phone.locator("section.now").inner_text()
    assert phone.locator(".pick").count() == 0  # nothing presented as a pick
    later = phone.locator("details.later")
    assert "Options to discuss with your doctor" in later.locator("summary").inner_text()
    assert not phone.locator(".option").first.is_visible()  # folded away


def test_pregnant_waits_and_learns_what_is_safe_meanwhile(phone: Any, server: str) -> None:
    _walk(phone, server, "pregnant")
    assert phone.locator("h1").inner_text() == "Wait: no treatment for now"
    assert "What to do now" in _visible_text_of_first_screen(phone)
    now = phone.locator("section.now").inner_text()
    assert "What you can safely do meanwhile" in now and "When to come back" in now
    assert phone.locator(".pick").count() == 0
    assert not phone.locator(".option").first.is_visible()


def test_acne_scars_type_3_gets_a_pick_with_two_separate_axes(phone: Any, server: str) -> None:
    _walk(phone, server, "acne-scars-type-3")
    assert phone.locator("h1").inner_text().startswith("You can choose")
    assert _on_first_screen(phone, ".pick")
    pick = phone.locator(".pick").first.inner_text()
    assert "Safety for you" in pick and "Strength of evidence" in pick
    assert "See the plan for" in pick  # the plan is one link away
    meso = phone.locator(".option", has=phone.locator('a[href="/treatments/mesotherapy"]'))
    assert "Not a recommendation" in meso.inner_text()
    assert "Suitable" not in phone.locator("main").inner_text()
    considered = phone.locator("section[aria-labelledby=considered-heading]").inner_text()
    assert "Mesotherapy" in considered and "which you asked about" in considered
    phone.get_by_role("link", name="See the plan for").first.click()
    phone.wait_for_load_state()
    assert "/plan/" in phone.url


def test_acne_scars_and_double_chin_get_one_pick_each(phone: Any, server: str) -> None:
    _walk(phone, server, "acne-scars-double-chin")
    picks = phone.locator(".pick h3").all_inner_texts()
    assert len(picks) == 2
    chin = next(p for p in picks if p.startswith("Double chin"))
    scars = next(p for p in picks if p.startswith("Acne scars"))
    assert "laser" not in chin.lower()
    assert "Deoxycholic" not in scars
    unsure = phone.locator("section[aria-labelledby=unsure-heading]").inner_text()
    assert "You were not sure about 2 questions" in unsure  # one "not sure", one unanswered
    # "Change my answers" returns to the filled form
    phone.get_by_role("button", name="Change my answers").click()
    phone.wait_for_load_state()
    assert phone.locator('input[name="concerns"][value="double-chin"]').is_checked()
    assert phone.get_by_role("textbox", name="Age In whole years").input_value() == "42"
    phone.get_by_role("button", name="Next: your health").click()
    phone.wait_for_load_state()
    assert phone.locator('input[name="cond-trouble-swallowing"][value="unsure"]').is_checked()
    assert phone.locator('input[name="cond-pregnant"][value="no"]').is_checked()


def test_men_are_not_asked_about_trying_to_conceive(phone: Any, server: str) -> None:
    phone.goto(server + "/decide")
    phone.check('input[name="concerns"][value="acne-scars"]')
    phone.get_by_role("textbox", name="Age In whole years").fill("30")
    phone.check('input[name="sex"][value="male"]')
    phone.get_by_role("button", name="Next: your health").click()
    phone.wait_for_load_state()
    text = phone.locator("main").inner_text()
    assert "Are you trying to become pregnant?" not in text
    assert "trouble swallowing" not in text  # asked only about a double chin
    phone.screenshot(path=str(SHOTS / "decide-health-step-390.png"), full_page=True)


@pytest.mark.parametrize("name", ["hair-loss", "pregnant", "acne-scars-double-chin"])
def test_the_results_and_steps_are_accessible(page: Any, server: str, name: str) -> None:
    fill = USERS[name]
    page.goto(server + "/decide")
    assert not axe_violations(page)
    fill_intake(page, fill)
    assert not axe_violations(page)  # step 3
    page.get_by_role("button", name="See my answer").click()
    page.wait_for_load_state()
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    violations = axe_violations(page)
    summary = [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"]) for v in violations]
    assert not violations, summary
