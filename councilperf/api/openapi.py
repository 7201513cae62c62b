"""What the generated OpenAPI document leaves out, added once: the data's licence and the
statistics contact; on every operation the headers every answer carries (``ETag``,
``Cache-Control``, CORS), the ``Link`` header of a page, the 304 of a matching
``If-None-Match`` and the 405 of any method but GET, HEAD and OPTIONS; and an example of
every parameter (schemathesis and the documentation pages read them)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from councilperf.api import tables

PROBLEM = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
EXAMPLES: dict[str, Any] = {
    "code": "E06000060",
    "measure": "upheld_rate",
    "from": "2020-21",
    "to": "2023-24",
    "region": "north-east",
    "group": "district",
    "page": 1,
    "per_page": 100,
    "authority": "E06000060",
    "service_area": "housing",
    "outcome": "upheld",
    "year": "2023-24",
}
TEXT = {"type": "string"}
HEADERS = {
    "ETag": {"description": "A strong validator of the body: send it as If-None-Match."},
    "Cache-Control": {"description": "public, max-age=300"},
    "Access-Control-Allow-Origin": {"description": "*: any site may read the answer."},
}
LINK = {
    "description": (
        'The other pages (RFC 8288): <…>; rel="first", rel="prev" (not on the first page), '
        'rel="next" (not on the last page) and rel="last"; absolute addresses.'
    ),
}
NOT_MODIFIED: dict[str, Any] = {
    "description": (
        "Not Modified: the If-None-Match sent holds the answer's ETag, which has not changed. "
        "No body."
    ),
    "headers": {"ETag": HEADERS["ETag"]},
}
NOT_ALLOWED = {
    "description": "Method Not Allowed: the API is read-only (GET, HEAD and OPTIONS).",
    "headers": {"Allow": {"description": "GET, HEAD, OPTIONS", "schema": TEXT}},
    "content": {PROBLEM: {"schema": PROBLEM_REF}},
}
BAD_PARAMETER = {
    "type": "about:blank",
    "title": "Bad Request",
    "status": 400,
    "detail": "Unknown region 'North Wast': one of East Midlands, … (or its slug or name)",
    "parameter": "region",
    "value": "North Wast",
    "allowed": ["East Midlands", "North East"],
}


def licence() -> dict[str, str]:
    found = dict(getattr(settings, "OPEN_DATA_LICENCE", tables.OGL))
    return {"name": found.get("title", found.get("name", "")), "url": found.get("path", "")}


def contact() -> dict[str, str]:
    found = {
        "name": getattr(settings, "STATISTICS_CONTACT_NAME", "")
        or "The ombudsman's statistics team",
        "url": f"{str(getattr(settings, 'SITE_URL', '')).rstrip('/')}/api/",
    }
    email = getattr(settings, "STATISTICS_CONTACT_EMAIL", "")
    if email:
        found["email"] = email
    return found


def _is_page(answer: dict[str, Any]) -> bool:
    ref = answer.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
    return str(ref).endswith("Page")


def _headers(schema: dict[str, Any]) -> dict[str, Any]:
    return {name: {**value, "schema": TEXT} for name, value in schema.items()}


def operation(op: dict[str, Any]) -> None:
    """One GET operation completed in place."""
    responses = op.setdefault("responses", {})
    ok = responses.get(200) or responses.get("200")
    if ok is not None:
        headers = dict(HEADERS, **({"Link": LINK} if _is_page(ok) else {}))
        ok["headers"] = _headers(headers)
    responses["304"] = {**NOT_MODIFIED, "headers": _headers(NOT_MODIFIED["headers"])}
    responses["405"] = NOT_ALLOWED
    bad = responses.get(400) or responses.get("400")
    if bad is not None:
        bad.setdefault("content", {}).setdefault(PROBLEM, {})["example"] = BAD_PARAMETER
    for parameter in op.get("parameters", []):
        name = parameter.get("name")
        if "examples" not in parameter and "example" not in parameter and name in EXAMPLES:
            parameter["example"] = EXAMPLES[name]


def complete(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (ninja's) with the licence, contact and every operation completed."""
    info = schema.setdefault("info", {})
    info["license"] = licence()
    info["contact"] = contact()
    for methods in schema.get("paths", {}).values():
        for method, op in methods.items():
            if method == "get":
                operation(op)
    return schema
