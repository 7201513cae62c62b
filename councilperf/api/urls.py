"""``/api/``: the human documentation; ``/api/v1/``: the JSON API and its OpenAPI schema."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from councilperf.api import embed, views
from councilperf.api.endpoints import register
from councilperf.api.http import build_api, conditional

API = build_api()
register(API)


def _wrapped() -> list[URLPattern | URLResolver]:
    found, _, _ = API.urls
    for pattern in found:
        if isinstance(pattern, URLPattern):
            pattern.callback = conditional(pattern.callback)
    return found


urlpatterns = [
    path("", views.docs, name="api_docs"),
    path("oembed", embed.oembed, name="oembed"),
    path("v1/", (_wrapped(), "api-v1", "api-v1")),
]
