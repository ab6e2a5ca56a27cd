"""Email addresses: validate and normalise them, and hash them for the suppression list."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

from treatwise.newsletter.errors import InvalidInput

MAX_LENGTH = 254  # RFC 5321 path limit


def normalise(raw: object) -> str:
    """The address in the form we store it (domain lower-cased; no DNS look-ups).

    An internationalised domain is stored in Unicode whichever way it was typed
    (``bücher.example`` and ``xn--bcher-kva.example`` are one address);
    :func:`for_smtp` gives the form a mail server is sent.
    """
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput("email", "an email address is required, like name@example.org")
    text = raw.strip()
    if len(text) > MAX_LENGTH:
        raise InvalidInput("email", f"an email address has at most {MAX_LENGTH} characters")
    try:
        checked = validate_email(text, check_deliverability=False, strict=True)
    except EmailNotValidError as error:
        raise InvalidInput("email", f"not a valid email address ({error})") from None
    local, domain = checked.normalized.rsplit("@", 1)
    # Local parts are case-sensitive by the RFC but not in practice: fold them so that one
    # person cannot hold two subscriptions or escape a suppression by changing case.
    return f"{local.lower()}@{domain.lower()}"


def for_smtp(email: str) -> str:
    """The address as the SMTP envelope and ``To:`` carry it: the domain in ASCII (IDNA).

    A relay without SMTPUTF8 then accepts it. Only a non-ASCII local part (``josé@...``)
    still needs SMTPUTF8; such an address is returned unchanged.
    """
    local, _, domain = email.rpartition("@")
    if domain.isascii() or not local.isascii():
        return email
    try:
        ascii_email = validate_email(email, check_deliverability=False).ascii_email
    except EmailNotValidError:
        return email
    return ascii_email or email


@lru_cache(maxsize=8)
def _keyed(secret: str) -> hmac.HMAC:
    return hmac.new(secret.encode(), b"suppression:", hashlib.sha256)


def suppression_hash(secret: str, email: str) -> str:
    """A keyed hash of the normalised address: matches the address, cannot be reversed."""
    digest = _keyed(secret).copy()
    digest.update(email.encode())
    return digest.hexdigest()
