"""What every response has, and what bad requests get: never a 500, never a partial write."""

from __future__ import annotations

from dataclasses import replace

from starlette.testclient import TestClient

from shipcaptaincrew import __version__
from shipcaptaincrew.domain.errors import Unavailable
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web.app import create_app
from tests.builders import event_body
from tests.fakes import losing_races

SECURITY_HEADERS = {
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
    "strict-transport-security",
}


def test_security_headers_are_on_every_response_errors_included(client: TestClient) -> None:
    responses = [
        client.get("/healthz"),
        client.get("/"),
        client.get("/api/events"),
        client.get("/api/events/nope"),
        client.get("/no/such/page"),
        client.delete("/api/events"),
        client.post("/api/events", content=b"{", headers={"content-type": "application/json"}),
    ]
    for response in responses:
        assert SECURITY_HEADERS <= set(response.headers), (response.url, response.status_code)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"


def test_api_answers_are_never_cached(client: TestClient) -> None:
    assert client.get("/api/events").headers["cache-control"] == "no-store"


def test_healthz_answers_without_a_token(anonymous: TestClient) -> None:
    response = anonymous.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "version": __version__,
        "mail": {"transport": "folder", "waiting_for_credentials": 0},
        "waiver_ready": False,
        "waiver_next_step": "Guests cannot sign yet: write your waiver text, then run: scc waiver set FILE",
    }


def test_unknown_routes_and_methods_are_json_errors(client: TestClient) -> None:
    missing, wrong_method = client.get("/api/nothing-here"), client.delete("/api/events")

    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not_found")
    assert (wrong_method.status_code, wrong_method.json()["error"]["code"]) == (405, "method_not_allowed")


def test_malformed_json_is_a_400_on_the_body(client: TestClient) -> None:
    for raw in [b"{", b"", b"[]", b'{"date": "2026-05-23",}', b"\xff\xfe{}", b"null"]:
        response = client.post("/api/events", content=raw, headers={"content-type": "application/json"})
        assert response.status_code == 400, raw
        assert response.json()["error"]["field"] in {"body", "date"}, raw


def test_a_body_that_is_not_json_is_refused(client: TestClient) -> None:
    response = client.post("/api/events", content=b"date=2026-05-23", headers={"content-type": "text/plain"})

    assert response.status_code == 400
    assert "JSON" in response.json()["error"]["message"]


def test_a_body_over_64_kb_is_413_and_stores_nothing(client: TestClient) -> None:
    huge = event_body(notes="x" * 70_000)

    response = client.post("/api/events", json=huge)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert client.get("/api/events?from=2026-05-23&to=2026-05-23").json()["events"] == []


def test_a_chunked_body_over_the_limit_is_413_too(client: TestClient) -> None:
    def chunks():  # no Content-Length: the limit must count what arrives
        for _ in range(80):
            yield b"x" * 1024

    response = client.post("/api/events", content=chunks(), headers={"content-type": "application/json"})

    assert response.status_code == 413


def test_deeply_nested_json_is_a_400_not_a_crash(client: TestClient) -> None:
    nested = b'{"patron":' + b"[" * 5000 + b"]" * 5000 + b"}"

    response = client.post("/api/events", content=nested, headers={"content-type": "application/json"})

    assert response.status_code == 400


def test_an_unexpected_failure_is_a_json_500_that_reveals_nothing(ctx: Context) -> None:
    class BrokenStore:
        def reading(self) -> None:
            raise RuntimeError("secret internals /var/lib/x")

        writing = reading

    broken_ctx = replace(ctx, store=BrokenStore())
    with TestClient(create_app(broken_ctx), raise_server_exceptions=False) as broken:
        response = broken.get("/api/events", headers={"Authorization": "Bearer x.y"})

    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal"
    assert "secret" not in response.text
    assert "content-security-policy" in response.headers


def test_the_openapi_document_describes_every_route(anonymous: TestClient) -> None:
    spec = anonymous.get("/api/openapi.json").json()

    assert spec["openapi"].startswith("3.1")
    assert set(spec["paths"]) >= {
        "/api/login",
        "/api/logout",
        "/api/events",
        "/api/events/{slug}",
        "/healthz",
        "/api/people/{person_id}/calendar/rotate",
    }
    assert "415" in spec["paths"]["/api/login"]["post"]["responses"]
    assert "503" in spec["paths"]["/api/payment-log"]["post"]["responses"], "a change that lost every race"
    event_in = spec["components"]["schemas"]["EventIn"]
    assert event_in["additionalProperties"] is False
    assert "payment_cleared" in spec["components"]["schemas"]["EventOut"]["required"]


def test_a_busy_store_is_a_503_that_says_to_try_again_and_writes_nothing(client: TestClient, ctx: Context) -> None:
    class BusyWrites:
        def __init__(self, store: object) -> None:
            self._store = store

        def writing(self) -> None:
            raise Unavailable("the database is busy with other changes; try again")

        def __getattr__(self, name: str) -> object:
            return getattr(self._store, name)

    busy_ctx = replace(ctx, store=BusyWrites(ctx.store))
    with TestClient(create_app(busy_ctx), raise_server_exceptions=False) as busy:
        busy.headers["Authorization"] = client.headers["Authorization"]
        response = busy.post("/api/events", json=event_body())

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable" and "try again" in response.json()["error"]["message"]
    assert client.get("/api/events?from=2026-05-23&to=2026-05-23").json()["events"] == []


def test_a_change_that_loses_every_race_is_a_503_with_retry_after_never_a_409(client: TestClient, ctx: Context) -> None:
    raced = losing_races(ctx)
    with TestClient(create_app(raced), raise_server_exceptions=False) as busy:
        busy.headers["Authorization"] = client.headers["Authorization"]
        response = busy.post("/api/events", json=event_body())

    assert (response.status_code, response.headers["retry-after"]) == (503, "1")
    assert response.json()["error"]["code"] == "busy" and "try again" in response.json()["error"]["message"]
    assert raced.store.attempts == 4  # type: ignore[attr-defined]
    assert client.get("/api/events?from=2026-05-23&to=2026-05-23").json()["events"] == []


def test_a_trailing_slash_is_redirected_by_path_alone_with_the_query_and_the_stage_prefix(ctx: Context) -> None:
    with TestClient(create_app(ctx), raise_server_exceptions=False) as plain:
        moved = plain.get("/api/events/?from=2026-05-01", headers={"host": "evil.example"}, follow_redirects=False)
        assert (moved.status_code, moved.headers["location"]) == (307, "/api/events?from=2026-05-01")
    with TestClient(create_app(ctx), root_path="/_staging", raise_server_exceptions=False) as staging:
        moved = staging.get("/healthz/", follow_redirects=False)
        assert moved.headers["location"] == "/_staging/healthz"
