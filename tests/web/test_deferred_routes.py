"""The routes imported on first use: they are found where they were declared, and answer as if always there."""

from __future__ import annotations

from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web.app import create_app
from shipcaptaincrew.web.deferred import DeferredRoutes


def test_every_deferred_route_lies_under_a_prefix_its_group_declares(ctx: Context) -> None:
    groups = [route for route in _starlette(create_app(ctx)).routes if isinstance(route, DeferredRoutes)]

    assert len(groups) >= 4
    for group in groups:
        paths = [route.path for route in group.routes if isinstance(route, Route | Mount)]
        assert paths and all(path.startswith(group.prefixes) for path in paths), (group.prefixes, paths)


def test_a_deferred_route_answers_405_for_a_method_it_does_not_take(client: TestClient) -> None:
    response = client.delete("/api/payment-log")

    assert response.status_code == 405
    assert "POST" in response.headers["allow"]


def test_a_deferred_guest_page_answers_its_own_not_found_page(client: TestClient) -> None:
    response = client.get("/g/2026-05-23-nobody-pm/signed/not-a-token")

    assert response.status_code == 404
    assert "does not lead to a charter" in response.text


def _starlette(app: object) -> object:
    while not hasattr(app, "routes"):  # unwrap the middleware around Starlette
        app = app.app  # type: ignore[attr-defined]
    return app
