"""``/api/``: the human documentation; ``/api/v1/``: the JSON API and its OpenAPI schema."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from django.views.decorators.csrf import csrf_exempt

from councilperf.api import embed, views
from councilperf.api.http import conditional
from councilperf.api.instance import API


def _wrapped() -> list[URLPattern | URLResolver]:
    """Ninja's operations and schema, each behind :func:`conditional`; our own index; and a
    problem+json 404 for any other address under /api/v1/."""
    found = list(API.urls[0])
    for pattern in found:
        if isinstance(pattern, URLPattern):
            own = views.index if pattern.name == "api-root" else pattern.callback
            pattern.callback = conditional(own)
    return [
        *found,
        # Any method: an unknown address is a 404 (problem+json), whatever was asked of it.
        path("<path:rest>", csrf_exempt(views.not_found), name="not_found"),
    ]


urlpatterns = [
    path("", views.docs, name="api_docs"),
    path("oembed", embed.oembed, name="oembed"),
    path("v1/", (_wrapped(), "api-v1", "api-v1")),
]
