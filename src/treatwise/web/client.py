"""The client's address, behind a reverse proxy or not.

Behind a proxy every request's peer is the proxy, so every visitor would share
one sign-up budget and the consent ledger would record the proxy. The proxy
says who the client was in ``X-Forwarded-For``; that header is believed only
when the peer is one of ``TREATWISE_TRUSTED_PROXIES`` (anyone can send it), and
read from the right, skipping trusted proxies, so a client cannot choose the
address it is counted under by sending a header of its own.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from starlette.requests import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=64)
def networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    """Parse addresses and networks once (``10.0.0.1``, ``10.0.0.0/8``, ``::1``)."""
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in trusted)


def client_address(request: Request) -> str | None:
    """The address of the client that sent ``request`` (see the module doc)."""
    peer = request.client.host if request.client else None
    trusted = networks(request.app.state.settings.proxy_networks)
    if peer is None or not trusted or not _trusted(peer, trusted):
        return peer
    forwarded = ",".join(request.headers.getlist("x-forwarded-for"))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            return hop if _is_address(hop) else peer
    return peer


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
