"""Every mail transport gives up well inside one Lambda invocation, so a stalling provider cannot run a delivery
past the function's timeout (the message stays queued for its retry)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shipcaptaincrew.adapters.gmail_oauth import GmailTokens
from shipcaptaincrew.bootstrap import build_mailer
from shipcaptaincrew.config import Settings
from shipcaptaincrew.deploy import infra
from tests.fakes import FakeClock

FUNCTION_TIMEOUT = infra.template()["Resources"]["ProdFunction"]["Properties"]["Timeout"]


def mailer(transport: str, tmp_path: Path) -> Any:
    settings = Settings.from_env(
        {"SCC_DATA_DIR": str(tmp_path), "SCC_MAIL_TRANSPORT": transport, "SCC_SES_REGION": "us-east-1"}
    )
    return build_mailer(settings, FakeClock())


def test_smtp_and_gmail_wait_at_most_a_third_of_the_functions_timeout(tmp_path: Path) -> None:
    gmail = mailer("gmail", tmp_path)
    tokens: GmailTokens = gmail.tokens

    assert mailer("smtp", tmp_path).timeout <= FUNCTION_TIMEOUT / 3
    assert gmail.timeout <= FUNCTION_TIMEOUT / 3 and tokens._timeout <= FUNCTION_TIMEOUT / 3


def test_ses_connects_reads_and_retries_within_the_functions_timeout(tmp_path: Path, aws: None) -> None:
    config = mailer("ses", tmp_path)._sesv2().meta.config

    worst = (config.connect_timeout + config.read_timeout) * config.retries["total_max_attempts"]
    assert worst <= FUNCTION_TIMEOUT * 0.8
