"""What `scc serve` prints keeps guest-link secrets out, the errors of the application included."""

from __future__ import annotations

import logging
import logging.config
from collections.abc import Iterator

import pytest
from starlette.requests import Request

from shipcaptaincrew.web.errors import unexpected_error
from shipcaptaincrew.web.logs import uvicorn_log_config

SECRET, TOKEN = "AoMogfekO4HSsNRrITCzofZE", "form-token-abcdefghijkl"
COPY_PATH = f"/g/2026-05-23-sarah-pm/{SECRET}/signed/{TOKEN}.pdf"


@pytest.fixture
def logging_put_back() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_an_unhandled_error_on_a_guest_copy_is_printed_without_the_links_secrets(
    logging_put_back: None, capsys: pytest.CaptureFixture[str]
) -> None:
    logging.config.dictConfig(uvicorn_log_config())  # as `scc serve` sets it up, printing to the captured stderr
    request = Request({"type": "http", "method": "GET", "path": COPY_PATH, "headers": [], "query_string": b""})

    answer = unexpected_error(request, RuntimeError("the disk went away"))

    printed = capsys.readouterr().err
    assert answer.status_code == 500
    assert "unhandled error on GET /g/2026-05-23-sarah-pm/[redacted]" in printed
    assert "the disk went away" in printed
    assert SECRET not in printed and TOKEN not in printed
