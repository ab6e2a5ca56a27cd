"""The pages on the real knowledge base: every treatment renders with every source it cites."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase
from treatwise.web.app import create_app


@pytest.fixture(scope="module")
def real(kb: KnowledgeBase) -> TestClient:
    return TestClient(create_app(Settings(env="test", secret_key="k"), kb))


def _ref_ids(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "references":
                yield from value
            else:
                yield from _ref_ids(value)
    elif isinstance(data, list | tuple):
        for item in data:
            yield from _ref_ids(item)


def test_every_treatment_page_cites_all_its_sources(real: TestClient, kb: KnowledgeBase) -> None:
    for treatment in kb.treatments.values():
        r = real.get(f"/treatments/{treatment.id}")
        assert r.status_code == 200, treatment.id
        listed = set(re.findall(r'<li id="ref-([a-z0-9-]+)" value="\d+">', r.text))
        # 'none' rows (no known restriction) are listed on /safety, not here
        shown = treatment.model_copy(update={"contraindications": treatment.restrictions})
        cited = set(_ref_ids(shown.model_dump()))
        assert cited == listed, (treatment.id, cited ^ listed)
        for concern in (i.concern for i in treatment.indications):
            assert kb.concerns[concern].name in r.text


def test_home_index_and_form_render(real: TestClient, kb: KnowledgeBase) -> None:
    assert real.get("/").status_code == 200
    index = real.get("/treatments").text
    assert all(f'href="/treatments/{t}"' in index for t in kb.treatments)
    form = real.get("/decide").text
    assert "Step 1 of 3" in form
    always = [c for c in kb.conditions.values() if not c.ask_if.sex and not c.ask_if.concerns_any]
    health = real.post(
        "/decide", data={"concerns": ["acne-scars"], "age": "30", "go": "health"}
    ).text
    assert all(str(escape(c.question)) in health for c in always)


def test_a_realistic_result_page(real: TestClient, kb: KnowledgeBase) -> None:
    data = {
        "concerns": ["acne-scars", "enlarged-pores"],
        "age": "34",
        "fitzpatrick": "4",
        "cond-isotretinoin-recent": "yes",
        "setting": "medical",
    }
    html = real.post("/decide", data=data).text
    assert "See a doctor before any treatment" in html
    ranks = re.findall(r'<span class="rank">(\d+)\.</span>', html)
    assert ranks == [str(n) for n in range(1, len(kb.treatments) + 1)]
