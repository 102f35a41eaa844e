"""What the schema fuzzing found, each pinned by a test that fails without its fix."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from shipcaptaincrew.config import DEFAULT_METHODS
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS
from shipcaptaincrew.web import openapi
from tests.unit.strings import full_width


def document() -> dict:
    return openapi.document(DEFAULT_PERIODS.names(), DEFAULT_METHODS)


def test_a_whole_number_written_with_a_fraction_is_the_integer_json_schema_says_it_is(client: TestClient) -> None:
    response = client.post("/api/ships", json={"name": "Osprey", "capacity": 12.0})

    assert response.status_code == 201
    assert response.json()["capacity"] == 12


def test_a_number_sent_as_a_string_is_still_refused_naming_the_field(client: TestClient) -> None:
    response = client.post("/api/ships", json={"name": "Osprey", "capacity": "12"})

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "capacity"


def test_the_longest_waiver_text_the_schema_allows_fits_under_the_body_limit(client: TestClient) -> None:
    text = "🚤" * 50_000  # 12 bytes each as JSON escapes

    response = client.put("/api/waiver", json={"text": text})

    assert response.status_code == 200


def test_configured_periods_are_enums_and_payment_methods_a_pattern_of_them_in_any_case() -> None:
    schemas = document()["components"]["schemas"]
    method = schemas["PaymentIn"]["properties"]["payment_method"]

    assert schemas["EventIn"]["properties"]["period"]["enum"] == list(DEFAULT_PERIODS.names())
    assert schemas["EventPatch"]["properties"]["status"]["enum"] == ["booked", "cancelled", "completed"]
    assert method["examples"] == list(DEFAULT_METHODS) and "enum" not in method
    assert all(re.fullmatch(method["pattern"], name) for name in [*DEFAULT_METHODS, "CASH", "Venmo"])
    refused = ["bitcoin", "cash ", full_width("CASH"), "cashcheck"]
    assert not any(re.fullmatch(method["pattern"], name) for name in refused)


def test_a_payment_amount_is_required_and_null_is_not_documented() -> None:
    amount = document()["components"]["schemas"]["PaymentIn"]["properties"]["amount"]

    assert {"type": "null"} not in amount["anyOf"]


def test_text_fields_document_the_domain_rule_on_control_characters() -> None:
    first_name = document()["components"]["schemas"]["PatronIn"]["properties"]["first_name"]
    pattern = re.compile(first_name["pattern"])

    assert pattern.fullmatch("José 🚤")
    for bad in ["Sarah\r\nBcc: x@example.org", "Sa\u202erah", "Sa\x00rah", "   "]:
        assert not pattern.fullmatch(bad), bad


def test_every_operation_with_a_body_documents_413() -> None:
    for path, methods in document()["paths"].items():
        for method, operation in methods.items():
            if "requestBody" in operation:
                assert "413" in operation["responses"], (method, path)


def test_the_events_limit_is_documented_with_its_bounds() -> None:
    parameters = {p["name"]: p["schema"] for p in document()["paths"]["/api/events"]["get"]["parameters"]}

    assert parameters["limit"] == {"type": "integer", "minimum": 1, "maximum": 500}
