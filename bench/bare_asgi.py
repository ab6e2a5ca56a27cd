"""A bare ASGI app for bench/assess.py: the bytes of one answer, for any request, doing no work.

    BARE_ASGI_BODY=/path/to/answer.json granian --interface asgi bare_asgi:app

It reads the request body and answers with the file's bytes, as the
assessments API would, without a framework, middleware or an assessment:
what granian itself costs per request, the bound on what any Python answer
behind it can reach.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

BODY = Path(os.environ["BARE_ASGI_BODY"]).read_bytes()
HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(BODY)).encode()),
    (b"cache-control", b"no-store"),
]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
