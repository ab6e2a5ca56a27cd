"""Mailers: one small interface, three implementations.

- ``SmtpMailer``: production; aiosmtplib over one reused connection (STARTTLS for
  ``smtp://``, implicit TLS for ``smtps://``).
- ``MaildirMailer``: the local default; messages land in a Maildir folder and the
  confirmation link is printed, so ``make run`` needs no mail server.
- ``MemoryMailer``: tests; keeps messages in a list and can fail on purpose.

A mailer raises ``TransientMailError`` (try again later) or ``PermanentMailError``
(the address is rejected: never try again); the worker decides what follows.
"""

from __future__ import annotations

import asyncio
import mailbox
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self
from urllib.parse import unquote, urlsplit

import aiosmtplib

Traceback = TracebackType | None


class MailError(Exception):
    """A message could not be handed over."""


class TransientMailError(MailError):
    """Worth retrying later (a 4xx reply, a dropped connection, a timeout)."""


class PermanentMailError(MailError):
    """The server rejected the recipient for good (a 5xx reply)."""


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A composed message (RFC 5322 bytes) with its envelope and what a mailer may need."""

    data: bytes
    sender: str
    recipient: str
    kind: str
    action_url: str | None = None  # the confirmation link, for the Maildir console hint

    @property
    def message(self) -> EmailMessage:
        """The message parsed back (tests, debugging)."""
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


class Mailer(Protocol):
    """Hands messages to a mail system; used as ``async with mailer:``."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def send(self, outgoing: Outgoing) -> None:
        """Send one message or raise a MailError."""
        ...


class _NoContext:
    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


@dataclass
class MemoryMailer(_NoContext):
    """Keeps every message; ``failures`` maps an address to the error to raise for it."""

    sent: list[Outgoing] = field(default_factory=list)
    failures: dict[str, MailError] = field(default_factory=dict)

    async def send(self, outgoing: Outgoing) -> None:
        """Record the message, or raise the failure planned for its recipient."""
        failure = self.failures.get(outgoing.recipient)
        if failure is not None:
            raise failure
        self.sent.append(outgoing)


class MaildirMailer(_NoContext):
    """Delivers into a local Maildir and prints confirmation links (development)."""

    def __init__(self, path: Path, *, echo: Callable[[str], None] | None = None) -> None:
        self.path = Path(path)
        for sub in ("tmp", "new", "cur"):  # a Maildir is these three folders
            (self.path / sub).mkdir(parents=True, exist_ok=True)
        self._box = mailbox.Maildir(self.path, create=False)
        self._echo = echo

    async def send(self, outgoing: Outgoing) -> None:
        """Add the message to the Maildir."""
        try:
            self._box.add(outgoing.data)
        except OSError as error:
            raise TransientMailError(f"cannot write to {self.path}: {error}") from error
        if outgoing.kind == "confirm" and outgoing.action_url and self._echo is not None:
            self._echo(f"Confirmation link (mail in {self.path}): {outgoing.action_url}")


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    """Where and how to connect, parsed from ``smtp://`` or ``smtps://`` URLs."""

    host: str
    port: int
    username: str | None
    password: str | None
    tls: bool  # implicit TLS from the first byte (smtps)
    start_tls: bool | None  # True: required, None: used when offered


_PASSWORD = re.compile(r"(://[^/@:]*:).*@")  # to the last @: a password may hold an @


def redact_url(url: str) -> str:
    """The URL with its password replaced by ``***`` (also when the URL is malformed)."""
    return _PASSWORD.sub(r"\1***@", url)


def parse_smtp_url(url: str) -> SmtpTarget:
    """``smtp://user:pass@host:587`` (STARTTLS) or ``smtps://host:465`` (TLS); ValueError if not."""
    parts = urlsplit(url)
    shape = "SMTP URL must look like smtp://user:pass@host:587"
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError(f"{shape}, not {redact_url(url)!r}")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{shape}: the port is not a number in {redact_url(url)!r}") from None
    implicit = parts.scheme == "smtps"
    username = unquote(parts.username) if parts.username else None
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    return SmtpTarget(
        host=parts.hostname,
        port=port or (465 if implicit else 587),
        username=username,
        password=unquote(parts.password) if parts.password else None,
        tls=implicit,
        # never send a password in clear text to another machine
        start_tls=None if implicit or local or username is None else True,
    )


class SmtpMailer:
    """Sends over up to ``connections`` reused SMTP connections, reopening dropped ones.

    Each concurrent ``send`` takes an idle connection (or opens one, up to the limit)
    and gives it back afterwards; the worker runs one sender per connection. Against
    a remote relay, where every SMTP command waits a network round trip, a few
    connections are what keeps the throughput up.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 30.0,
        connections: int = 1,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.target = parse_smtp_url(url)
        self.timeout = timeout
        self.tls_context = tls_context  # None: the system's trusted CAs
        self.limit = max(1, connections)
        self.connections = 0  # how many times we connected (full reuse shows as `limit`)
        self._idle: list[aiosmtplib.SMTP] = []
        self._slots: asyncio.Semaphore | None = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _connect(self) -> aiosmtplib.SMTP:
        t = self.target
        smtp = aiosmtplib.SMTP(
            hostname=t.host,
            port=t.port,
            use_tls=t.tls,
            start_tls=t.start_tls,
            timeout=self.timeout,
            tls_context=self.tls_context,
        )
        try:
            await smtp.connect()
            if t.username is not None:
                await smtp.login(t.username, t.password or "")
        except BaseException:
            smtp.close()  # a failed handshake or login must not leak the socket
            raise
        self.connections += 1
        return smtp

    async def send(self, outgoing: Outgoing) -> None:
        """Send one message; a dropped connection is reopened once before giving up."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limit)
        async with self._slots:
            smtp = self._idle.pop() if self._idle else None
            try:
                smtp = await self._send(smtp, outgoing)
            finally:
                if smtp is not None and smtp.is_connected:
                    self._idle.append(smtp)

    async def _send(
        self, smtp: aiosmtplib.SMTP | None, outgoing: Outgoing
    ) -> aiosmtplib.SMTP | None:
        options = [] if outgoing.recipient.isascii() else ["SMTPUTF8"]
        for attempt in (1, 2):
            try:
                if smtp is None or not smtp.is_connected:
                    smtp = await self._connect()
                await smtp.sendmail(
                    outgoing.sender, [outgoing.recipient], outgoing.data, mail_options=options
                )
                return smtp
            except aiosmtplib.SMTPRecipientsRefused as error:
                code = error.recipients[0].code if error.recipients else 0
                if 500 <= code < 600:  # the recipient is rejected for good: a hard bounce
                    raise PermanentMailError(f"{code} {error.recipients[0].message}") from None
                raise TransientMailError(f"recipient deferred: {error}") from None
            except aiosmtplib.SMTPResponseException as error:
                # sender, data or login refusals are our problem, not the recipient's
                raise TransientMailError(f"{error.code} {error.message}") from None
            except (aiosmtplib.SMTPException, OSError) as error:
                await _quit(smtp)
                smtp = None
                if attempt == 2:
                    raise TransientMailError(f"SMTP connection failed: {error}") from None
        return smtp

    async def close(self) -> None:
        """Say QUIT on every idle connection."""
        idle, self._idle = self._idle, []
        for smtp in idle:
            await _quit(smtp)


async def _quit(smtp: aiosmtplib.SMTP | None) -> None:
    if smtp is None or not smtp.is_connected:
        return
    try:
        await smtp.quit()
    except (aiosmtplib.SMTPException, OSError):
        smtp.close()
