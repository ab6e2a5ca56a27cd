"""Error responses in one place: HTML pages for people, JSON under ``/api``, no internals."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from treatwise.web.security import SECURITY_HEADERS
from treatwise.web.templating import render

TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Page not found",
    405: "Method not allowed",
    422: "Please check your answers",
    429: "Too many requests",
    500: "Something went wrong",
    503: "Busy: please try again soon",
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_page(request: Request, status: int, message: str) -> Response:
    """The error as JSON (API) or as a page in the site's layout."""
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    title = TITLES.get(status, "Error")
    context = {"status": status, "title": title, "message": message}
    return render(request, "errors/error.html", context, status_code=status)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    path = request.url.path
    if exc.status_code == 404 and len(path) > 1 and path.endswith("/") and not _wants_json(request):
        # A relative Location, never built from the Host header (a client can forge it), and
        # one leading slash only ("//host" would send the browser to another site).
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse("/" + path.strip("/") + query, status_code=308)
    if exc.status_code == 404 and not _wants_json(request):
        message = "There is no page at this address. It may have moved, or the link has a typo."
    else:
        message = str(exc.detail)
    response = error_page(request, exc.status_code, message)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _wants_json(request):
        return await request_validation_exception_handler(request, exc)
    fields = ", ".join(".".join(str(p) for p in e["loc"][1:]) or "request" for e in exc.errors())
    return error_page(request, 422, f"Some values could not be read: {fields}.")


SERVER_ERROR = "An unexpected error happened on our side. Nothing you entered was kept."
"""What a 500 says, on pages and in the API alike."""


async def server_error(request: Request, _exc: Exception) -> Response:
    """500 without a traceback or any detail of the request (it may hold health data)."""
    message = SERVER_ERROR
    try:
        response = error_page(request, 500, message)
    except Exception:  # the layout itself failed: plain text is the last resort
        response = Response(message, status_code=500, media_type="text/plain")
    for name, value in SECURITY_HEADERS:
        response.headers.setdefault(name.decode(), value.decode())
    return response


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, server_error)
