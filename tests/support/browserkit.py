"""Helpers for browser tests: page types, screenshots, axe and vnu (skip-or-fail: require)."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (390, 1280)

INTAKE = {
    "concerns": ["acne-scars", "enlarged-pores"],
    "age": "34",
    "sex": "female",
    "fitzpatrick": "4",
    "setting": "medical",
    "condition": "isotretinoin-recent",
    "max_downtime_days": "3",
    "matters": "evidence",
}


def fill_intake(page: Any, intake: dict[str, Any] = INTAKE) -> None:
    """Walk the three steps of /decide the way a person would, up to "See my answer".

    Step 1: concerns, age, sex, skin type. Step 2: "Yes" for ``condition`` (when
    given), "No" for every other question, except those in ``unsure`` ("Not sure")
    and ``skip`` (left unanswered). Step 3: setting, downtime, ``considering``,
    what matters most. The caller clicks "See my answer".
    """
    for concern in intake["concerns"]:
        page.check(f'input[name="concerns"][value="{concern}"]')
    page.get_by_role("textbox", name="Age In whole years").fill(intake["age"])
    page.check(f'input[name="sex"][value="{intake["sex"]}"]')
    page.check(f'input[name="fitzpatrick"][value="{intake["fitzpatrick"]}"]')
    page.get_by_role("button", name="Next: your health").click()
    page.wait_for_load_state()
    questions = page.locator("fieldset.question input[value=yes]")
    for index in range(questions.count()):
        name = questions.nth(index).get_attribute("name").removeprefix("cond-")
        if name in intake.get("skip", ()):
            continue
        answer = "yes" if name == intake.get("condition") else "no"
        answer = "unsure" if name in intake.get("unsure", ()) else answer
        page.check(f'input[name="cond-{name}"][value="{answer}"]')
    page.get_by_role("button", name="Next: your preferences").click()
    page.wait_for_load_state()
    page.check(f'input[name="setting"][value="{intake["setting"]}"]')
    if intake.get("max_downtime_days"):
        page.get_by_label("Most days of downtime you can accept").fill(intake["max_downtime_days"])
    if intake.get("considering"):
        page.select_option("select[name=considering]", intake["considering"])
    if intake.get("matters"):
        page.check(f'input[name="matters"][value="{intake["matters"]}"]')


def render_everything(page: Any) -> None:
    """Lay out the sections the browser may skip while off screen (``content-visibility: auto``).

    A reader who scrolls sees them; a full-page screenshot, a width check or
    axe's contrast check must see them too, so they are rendered as if visible.
    """
    page.evaluate(
        "document.querySelectorAll('.sources, .deferred')"
        ".forEach(e => e.style.contentVisibility = 'visible')"
    )


def screenshots(page: Any, name: str) -> list[Path]:
    """Full-page screenshots at 390 and 1280 px wide."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    render_everything(page)
    paths = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        path = SHOTS / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size({"width": 1280, "height": 900})
    return paths


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core violations at WCAG 2.2 AA."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_22_AA}}
    render_everything(page)
    result = Axe().run(page, options=options)
    violations: list[dict[str, Any]] = result.response["violations"]
    return violations


def fetch(url: str, data: list[tuple[str, str]] | None = None) -> bytes:
    """The body at ``url`` (POSTing ``data`` as a form when given); error pages too."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=20) as r:
            return bytes(r.read())
    except urllib.error.HTTPError as error:  # 404 and 422 pages are checked too
        return bytes(error.read())


def vnu_errors(vnu: list[str], pages: dict[str, bytes], folder: Path) -> list[tuple[Any, ...]]:
    """Run the Nu HTML checker over the pages (name -> HTML); its errors as (file, line, text)."""
    files = []
    for name, html in pages.items():
        path = folder / f"{name}.html"
        path.write_bytes(html)
        files.append(str(path))
    run = subprocess.run([*vnu, *files], capture_output=True, text=True, timeout=180)
    messages = json.loads(run.stdout)["messages"]
    return [
        (Path(m.get("url", "")).name, m.get("lastLine"), m["message"])
        for m in messages
        if m["type"] == "error"
    ]
