"""The one JSON API object: built once, with every endpoint registered, for the routes and for
the documentation pages that read its OpenAPI schema."""

from __future__ import annotations

from councilperf.api import handling_endpoints
from councilperf.api.endpoints import register
from councilperf.api.http import build_api

API = build_api()
register(API)
handling_endpoints.register(API)
