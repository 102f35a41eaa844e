"""What every command shares: the settings, the context, and turning errors into messages and exit codes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, time
from typing import Any, TypeVar

import click

from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.cli.wording import in_cli_words
from shipcaptaincrew.config import Settings, SettingsError
from shipcaptaincrew.domain.days import calendar_day, not_a_date
from shipcaptaincrew.domain.errors import DomainError
from shipcaptaincrew.services.context import Context

CLI_ACTOR = "cli"
F = TypeVar("F", bound=Callable[..., Any])


class DayType(click.DateTime):
    """A day written YYYY-MM-DD (as a datetime at midnight); another is refused naming the option, in the words
    the API uses: `Invalid value for '--date': 2026-02-30 is not a date.`"""

    def __init__(self) -> None:
        super().__init__(["%Y-%m-%d"])

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime):
            return value
        day = calendar_day(str(value))
        if day is None:
            self.fail(f"{not_a_date(str(value))}.", param, ctx)
        return datetime.combine(day, time())


DAY = DayType()


def load_settings(port: int | None = None) -> Settings:
    """The settings from the environment; `port` is the one served when a command line gives it."""
    try:
        return Settings.from_env(port=port)
    except SettingsError as error:
        raise click.UsageError(str(error)) from None


def open_context(settings: Settings | None = None) -> Context:
    return build_context(settings or load_settings())


def reports_errors(command: F) -> F:
    """Show a domain error as `Error: <message>` naming the command's option at fault, and exit 1, instead of a
    traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DomainError as error:
            raise click.ClickException(in_cli_words(error, click.get_current_context(silent=True))) from None

    return wrapper  # type: ignore[return-value]
