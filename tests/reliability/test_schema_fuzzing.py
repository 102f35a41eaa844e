"""Schemathesis against the OpenAPI document on a real server: no 5xx, every answer documented and matching its schema.

Every check is on. Each operation is fuzzed with data that fits its schema and with data that does not, a bounded
and derandomized number of times, so a run takes the same path on every machine; a failure prints the curl command
that reproduces it. The schema is the document the application builds; the first test checks the server serves it.
Each case carries a fresh token minted in this process: the fuzzer signs out, and fails sign-ins on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings

from shipcaptaincrew.config import DEFAULT_METHODS
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS
from shipcaptaincrew.web import openapi
from tests.live_server import LiveServer
from tests.reliability.patterns import each_pattern_built_once

EXAMPLES = 8
# Rules across fields, which JSON Schema cannot state, are a 400 naming the field for data the schema allows:
# `to` not before `from`; a given slug matching the date and period, or a first name with a letter to build it.
ACROSS_FIELDS = [("GET", "/api/events"), ("POST", "/api/events")]
CONFIG = {
    "operations": [
        {
            "include-method": method,
            "include-path": path,
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2XX", 400, 401, 404, 409, 429]}},
        }
        for method, path in ACROSS_FIELDS
    ]
}
DOCUMENT = openapi.document(DEFAULT_PERIODS.names(), DEFAULT_METHODS)
schema = schemathesis.openapi.from_dict(DOCUMENT, config=schemathesis.Config.from_dict(CONFIG))
OPERATIONS = [result.ok() for result in schema.get_all_operations()]
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


@pytest.fixture(scope="module", autouse=True)
def patterns_built_once() -> Iterator[None]:
    """Each pattern's Hypothesis strategy built once for this module, not at every filter: see patterns.py."""
    with each_pattern_built_once():
        yield


def test_the_server_serves_the_document_being_fuzzed(server: LiveServer) -> None:
    assert requests.get(f"{server.url}/api/openapi.json", timeout=10).json() == DOCUMENT


def negatable(operation: Any) -> bool:
    """Whether there is anything to send wrong: an operation with no parameters and no body has none."""
    return bool(operation.body or any(True for _ in operation.iter_parameters()))


@pytest.mark.parametrize(
    ("operation", "mode"),
    [(op, mode) for op in OPERATIONS for mode in MODES if mode.is_positive or negatable(op)],
    ids=lambda value: value.label if hasattr(value, "label") else str(value),
)
def test_every_operation_answers_as_its_schema_says(operation: Any, mode: Any, server: LiveServer) -> None:
    with requests.Session() as session:

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def answers_as_documented(case: Any) -> None:
            # A case that drops the Authorization header on purpose is sent without one: a 401 is its answer.
            dropped = mode.is_negative and "Authorization" not in (case.headers or {})
            token = {} if dropped else {"Authorization": f"Bearer {server.token()}"}
            case.call_and_validate(base_url=server.url, session=session, headers=token, timeout=10)

        answers_as_documented()
