"""The API's documentation page, rendered from its own OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from councilperf.public.http import published_page


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Each operation of the schema as the page lists it: path, summary, parameters."""
    found = []
    for route, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            found.append(
                {
                    "method": method.upper(),
                    "path": route,
                    "anchor": op.get("operationId", route),
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "tag": (op.get("tags") or [""])[0],
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                }
            )
    return found


@require_safe
@published_page()
def docs(request: HttpRequest) -> HttpResponse:
    from councilperf.api.urls import API

    schema = API.get_openapi_schema(path_prefix="/api/v1/")
    context = {"info": schema["info"], "operations": operations(schema)}
    return render(request, "api/docs.html", context)
