"""SMTP over STARTTLS with a login, and over implicit TLS (smtps://), against aiosmtpd.

The server's certificate is a throw-away self-signed one made with the openssl CLI;
the mailer is given a context that trusts it (production uses the system's CAs).
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from support.nlkit import Sink, free_port, work

from treatwise.newsletter import subscriptions
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.mailers import SmtpMailer


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def _contexts(cert: Path, key: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=str(cert))
    return server, client


class Accounts:
    """aiosmtpd authenticator: one user, one password."""

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"mailer",
            b"s3cret pw",
        )
        return AuthResult(success=ok, handled=False)


@pytest.fixture
def starttls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Sink, int, ssl.SSLContext]]:
    server_ctx, client_ctx = _contexts(*certificate)
    sink, port = Sink(), free_port()
    controller = Controller(
        sink,
        hostname="127.0.0.1",
        port=port,
        tls_context=server_ctx,
        require_starttls=True,
        authenticator=Accounts(),
        auth_required=True,
        auth_require_tls=True,
    )
    controller.start()
    yield sink, port, client_ctx
    controller.stop()


def test_starttls_and_login(
    nl: Newsletter, starttls_server: tuple[Sink, int, ssl.SSLContext]
) -> None:
    sink, port, client_ctx = starttls_server
    subscriptions.subscribe(
        nl, email="tls@example.org", interests=[], visit=subscriptions.Visit("/t")
    )
    mailer = SmtpMailer(f"smtp://mailer:s3cret%20pw@127.0.0.1:{port}", tls_context=client_ctx)
    assert work(nl, mailer).sent == 1
    assert [str(m["To"]) for m in sink.messages] == ["tls@example.org"]


def test_wrong_password_is_transient_not_a_bounce(
    nl: Newsletter, starttls_server: tuple[Sink, int, ssl.SSLContext]
) -> None:
    sink, port, client_ctx = starttls_server
    subscriptions.subscribe(
        nl, email="tls@example.org", interests=[], visit=subscriptions.Visit("/t")
    )
    mailer = SmtpMailer(f"smtp://mailer:wrong@127.0.0.1:{port}", tls_context=client_ctx)
    stats = work(nl, mailer)
    assert (stats.sent, stats.retried, stats.bounced) == (0, 1, 0)
    assert sink.messages == []


def test_implicit_tls(nl: Newsletter, certificate: tuple[Path, Path]) -> None:
    server_ctx, client_ctx = _contexts(*certificate)
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, ssl_context=server_ctx)
    controller.start()
    try:
        subscriptions.subscribe(
            nl, email="ssl@example.org", interests=[], visit=subscriptions.Visit("/t")
        )
        assert work(nl, SmtpMailer(f"smtps://127.0.0.1:{port}", tls_context=client_ctx)).sent == 1
        # without trusting the certificate, the mailer refuses the server (and retries later)
        subscriptions.subscribe(
            nl, email="ssl2@example.org", interests=[], visit=subscriptions.Visit("/t")
        )
        assert work(nl, SmtpMailer(f"smtps://127.0.0.1:{port}", timeout=5)).retried == 1
    finally:
        controller.stop()
    assert [str(m["To"]) for m in sink.messages] == ["ssl@example.org"]
