"""A newcomer in Chromium: home → compare → decision aid → result with a red flag → PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support.browserkit import INTAKE, fill_intake, screenshots
from support.require import require

from treatwise.knowledge import KnowledgeBase

pytestmark = pytest.mark.browser


def test_newcomer_journey(page: Any, server: str, kb: KnowledgeBase, tmp_path: Path) -> None:
    require(shutil.which("pdftotext") is not None, "pdftotext", "apt-get install poppler-utils")
    page.goto(server + "/")
    assert "Microneedling or mesotherapy" in page.locator("h1").inner_text()

    page.get_by_role("link", name="Compare the two").click()
    page.wait_for_url(re.compile(r"/compare/microneedling-vs-mesotherapy$"))
    heading = page.locator("h1").inner_text()
    assert "Microneedling" in heading and "Mesotherapy" in heading
    assert page.locator("sup.ref").count() > 10  # cited cells
    screenshots(page, "journey-compare")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Decide").click()
    page.wait_for_url(re.compile(r"/decide$"))
    fill_intake(page)
    page.get_by_role("button", name="See my answer").click()
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == "See a doctor before any treatment"
    flags = page.locator("section.callout.danger")
    assert flags.is_visible()
    assert "What to do now" in flags.locator("h2").inner_text()
    condition = kb.conditions[INTAKE["condition"]].name
    assert condition in flags.inner_text()
    later = page.locator("details.later")
    assert flags.bounding_box()["y"] < later.bounding_box()["y"]  # what to do now comes first
    assert "Options to discuss with your doctor" in later.locator("summary").inner_text()
    later.locator("summary").click()
    ranks = page.locator(".option .rank").all_inner_texts()
    assert ranks == [f"{n}." for n in range(1, len(kb.treatments) + 1)]
    first = page.locator(".option h3 a").first.inner_text()
    screenshots(page, "journey-result")

    for key in ("sure", "understand", "values", "support"):
        page.check(f'input[name="sure-{key}"][value="yes"]')
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the one-page summary (PDF)").click()
    pdf = tmp_path / "summary.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "See a doctor before any treatment" in flat and condition in flat
    assert "Top options per concern (to discuss with the doctor)" in flat
    assert "(pick)" in flat and first  # one line per option, the pick first
    assert "Do you feel sure about the best choice for you? Yes" in flat
    assert "Questions to ask" in flat
