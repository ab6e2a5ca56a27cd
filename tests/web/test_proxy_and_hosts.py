"""Client addresses behind a proxy, trusted hosts, relative redirects and HSTS."""

from __future__ import annotations

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase
from treatwise.web.app import create_app
from treatwise.web.client import client_address


def _app(settings: Settings, fake: KnowledgeBase, **changes: str) -> FastAPI:
    app = create_app(settings.model_copy(update=changes), fake)

    @app.get("/whoami")
    def who(request: Request) -> dict[str, str | None]:
        return {"client": client_address(request)}

    return app


def _who(app: FastAPI, peer: str, forwarded: str | None = None) -> str | None:
    client = TestClient(app, client=(peer, 5000))
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    answer: str | None = client.get("/whoami", headers=headers).json()["client"]
    return answer


def test_without_trusted_proxies_the_peer_is_the_client(
    settings: Settings, fake: KnowledgeBase
) -> None:
    app = _app(settings, fake)
    assert _who(app, "203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_behind_a_trusted_proxy_the_forwarded_client_counts(
    settings: Settings, fake: KnowledgeBase
) -> None:
    app = _app(settings, fake, trusted_proxies="10.0.0.0/8, 127.0.0.1")
    assert _who(app, "10.1.2.3", "198.51.100.1") == "198.51.100.1"
    # a client's own header is on the left; the proxy appends the real peer on the right
    assert _who(app, "10.1.2.3", "1.2.3.4, 198.51.100.7") == "198.51.100.7"
    assert _who(app, "10.1.2.3", "198.51.100.7, 10.9.9.9") == "198.51.100.7"
    assert _who(app, "10.1.2.3", "not-an-address") == "10.1.2.3"
    assert _who(app, "10.1.2.3") == "10.1.2.3"
    # an untrusted peer cannot choose its address
    assert _who(app, "203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_a_bad_trusted_proxy_setting_names_the_variable() -> None:
    with pytest.raises(ValueError, match=r"TREATWISE_TRUSTED_PROXIES: 'proxy\.local'"):
        Settings(env="development", trusted_proxies="proxy.local")


def test_trailing_slash_redirects_never_follow_the_host_header(client: TestClient) -> None:
    r = client.get("/treatments/", headers={"host": "evil.example"}, follow_redirects=False)
    assert r.status_code == 308
    assert r.headers["location"] == "/treatments"
    r = client.get("/treatments//", follow_redirects=False)
    assert r.headers["location"] == "/treatments"
    r = client.get("http://testserver//evil.example/", follow_redirects=False)
    assert r.headers["location"] == "/evil.example"  # never "//evil.example": another site


def test_allowed_hosts_refuse_a_forged_host(settings: Settings, fake: KnowledgeBase) -> None:
    app = create_app(settings.model_copy(update={"allowed_hosts": "treatwise.test"}), fake)
    client = TestClient(app, base_url="https://treatwise.test")
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/").status_code == 200  # now in the page cache
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"host": "treatwise.test:443"}).status_code == 200


def test_hsts_only_when_the_site_is_https(settings: Settings, fake: KnowledgeBase) -> None:
    https = TestClient(create_app(settings, fake))  # base_url https://treatwise.test
    assert https.get("/healthz").headers["strict-transport-security"].startswith("max-age=")
    plain = create_app(settings.model_copy(update={"base_url": "http://127.0.0.1:8000"}), fake)
    assert "strict-transport-security" not in TestClient(plain).get("/healthz").headers
