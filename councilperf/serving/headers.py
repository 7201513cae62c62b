"""Response headers Django does not set itself, and the client's address behind a proxy."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` (browser features the site never uses are switched off)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def forwarded_address(
    *, remote_addr: str | None, forwarded_for: str | None, proxies: int
) -> str | None:
    """The client address: with ``proxies`` trusted proxies in front, the entry they appended
    to ``X-Forwarded-For`` (counting from the right, so a client cannot forge it); else the
    socket's peer."""
    if proxies <= 0 or not forwarded_for:
        return remote_addr
    entries = [part.strip() for part in forwarded_for.split(",") if part.strip()]
    if len(entries) < proxies:
        return remote_addr
    return entries[-proxies]


def client_ip(request: HttpRequest) -> str | None:
    return forwarded_address(
        remote_addr=request.META.get("REMOTE_ADDR"),
        forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR"),
        proxies=settings.TRUSTED_PROXY_COUNT,
    )
