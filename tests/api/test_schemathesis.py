"""Schemathesis against /api/v1/openapi.json on the demo data: every operation, requests
made from the schema (valid ones, then invalid ones), every answer checked against it
(no server error, the documented status codes, content types and response schemas)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok

EXAMPLES = {GenerationMode.POSITIVE: 40, GenerationMode.NEGATIVE: 15}
# A filter takes free text (a slug, a code or a name, in any case), so a schema-valid value can
# name nothing: that is the documented 400 problem (its body checked against BadParameter),
# beside the statuses schemathesis expects of valid data by default.
ACCEPTED = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}}}
)


ANSWERED: dict[int, int] = {}


def run_operation(operation: Any, mode: GenerationMode) -> int:
    made = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        nonlocal made
        made += 1
        response = case.call_and_validate(headers={"Accept-Encoding": "identity"})
        ANSWERED[response.status_code] = ANSWERED.get(response.status_code, 0) + 1

    check()
    return made


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """As Django's test client does: requests must not close the test's database connection
    (schemathesis calls the WSGI application directly)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.slow
def test_schemathesis_finds_no_failure(demo_data: None, keep_connection: None, capsys: Any) -> None:
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
    )
    operations = [r.ok() for r in schema.get_all_operations() if isinstance(r, Ok)]
    assert len(operations) == 14
    cases = sum(
        run_operation(op, mode)
        for op in operations
        for mode in EXAMPLES
        # an operation without parameters has no invalid request to make
        if mode is GenerationMode.POSITIVE or op.definition.raw.get("parameters")
    )
    with capsys.disabled():
        print(
            f"\nschemathesis: {len(operations)} operations, {cases} generated cases, "
            f"0 failures; statuses {dict(sorted(ANSWERED.items()))}"
        )
    assert cases >= 10 * len(operations)
    assert ANSWERED.get(200, 0) >= len(operations)  # the examples reach published figures
