"""Every page type in Chromium: axe (WCAG 2.2 AA) finds nothing, vnu finds no error, screenshots."""

from __future__ import annotations

import json
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from browserkit import axe_violations, fill_intake, screenshots

pytestmark = pytest.mark.browser

GET_PAGES = {
    "home": "/",
    "treatments": "/treatments",
    "treatment": "/treatments/microneedling",
    "compare": "/compare/microneedling-vs-mesotherapy",
    "compare-picker": "/compare",
    "decide": "/decide",
    "not-found": "/no-such-page",
}


def _result_page(page: Any, server: str) -> None:
    page.goto(server + "/decide")
    fill_intake(page)
    page.get_by_role("button", name="See my options").click()
    page.wait_for_load_state()


def _error_page(page: Any, server: str) -> None:
    page.goto(server + "/decide")
    page.get_by_role("button", name="See my options").click()
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


def _fetch(url: str, data: list[tuple[str, str]] | None = None) -> bytes:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as error:  # 404 and 422 pages are checked too
        return bytes(error.read())


def test_every_page_type_is_valid_html(server: str, vnu: list[str], tmp_path: Path) -> None:
    intake = [
        ("concerns", "acne-scars"),
        ("age", "34"),
        ("fitzpatrick", "4"),
        ("cond-isotretinoin-recent", "yes"),
        ("matters", "evidence"),
    ]
    pages = {name: _fetch(server + path) for name, path in GET_PAGES.items()}
    pages["decide-result"] = _fetch(server + "/decide", intake)
    pages["decide-errors"] = _fetch(server + "/decide", [("age", "x")])
    files = []
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(html)
        files.append(str(path))
    run = subprocess.run([*vnu, *files], capture_output=True, text=True, timeout=120)
    messages = json.loads(run.stdout)["messages"]
    errors = [
        (Path(m.get("url", "")).name, m.get("lastLine"), m["message"])
        for m in messages
        if m["type"] == "error"
    ]
    assert not errors, errors
