"""Every page type in Chromium: axe (WCAG 2.2 AA) finds nothing, vnu finds no error, screenshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browserkit import axe_violations, fetch, fill_intake, screenshots, vnu_errors

pytestmark = pytest.mark.browser

GET_PAGES = {
    "home": "/",
    "treatments": "/treatments",
    "treatment": "/treatments/microneedling",
    "compare": "/compare/microneedling-vs-mesotherapy",
    "compare-picker": "/compare",
    "decide": "/decide",
    "about": "/about",
    "editorial-policy": "/about/editorial-policy",
    "privacy": "/privacy",
    "contact": "/contact",
    "safety": "/safety",
    "not-found": "/no-such-page",
}


def _result_page(page: Any, server: str) -> None:
    page.goto(server + "/decide")
    fill_intake(page)
    page.get_by_role("button", name="See my answer").click()
    page.wait_for_load_state()


def _error_page(page: Any, server: str) -> None:
    page.goto(server + "/decide")
    page.get_by_role("button", name="Next: your health").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("name", [*GET_PAGES, "decide-result", "decide-errors"])
def test_page_type_is_accessible(page: Any, server: str, name: str) -> None:
    if name == "decide-result":
        _result_page(page, server)
    elif name == "decide-errors":
        _error_page(page, server)
    else:
        page.goto(server + GET_PAGES[name])
    violations = axe_violations(page)
    summary = [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"]) for v in violations]
    assert not violations, summary
    for path in screenshots(page, name):
        assert path.stat().st_size > 1000


def test_every_page_type_is_valid_html(server: str, vnu: list[str], tmp_path: Path) -> None:
    intake = [
        ("concerns", "acne-scars"),
        ("age", "34"),
        ("fitzpatrick", "4"),
        ("cond-isotretinoin-recent", "yes"),
        ("matters", "evidence"),
    ]
    pages = {name: fetch(server + path) for name, path in GET_PAGES.items()}
    pages["decide-result"] = fetch(server + "/decide", intake)
    pages["decide-errors"] = fetch(server + "/decide", [("age", "x")])
    about = [("concerns", "acne-scars"), ("concerns", "double-chin"), ("age", "40")]
    pages["decide-health"] = fetch(server + "/decide", [*about, ("go", "health")])
    pages["decide-preferences"] = fetch(server + "/decide", [*about, ("go", "preferences")])
    for case, extra in {
        "wait": [("sex", "female"), ("cond-pregnant", "yes")],
        "choose": [("cond-pregnant", "no"), ("considering", "mesotherapy")],
        "unsure": [("cond-pregnant", "unsure")],
    }.items():
        pages[f"decide-result-{case}"] = fetch(server + "/decide", [*about, *extra])
    errors = vnu_errors(vnu, pages, tmp_path)
    assert not errors, errors
