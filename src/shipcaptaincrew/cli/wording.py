"""Domain errors in the command line's words: a field is named by the option or argument that carries it
(`--method`, `SLUG`), never by its name in the API (`payment_method`, `event_id`)."""

from __future__ import annotations

import click

from shipcaptaincrew.domain.errors import DomainError

CARRIED_BY: dict[str, tuple[str, ...]] = {
    "event": ("SLUG",),
    "event_id": ("SLUG",),
    "slug": ("--slug", "SLUG", "NEW"),
    "id": ("ENTRY_ID", "ID", "PERSON", "SHIP"),
    "to_event": ("--to",),
    "payment_method": ("--method",),
    "amount_due": ("--price",),
    "periods": ("--period",),
    "patron.email": ("--email",),
    "patron.phone": ("--phone",),
}
"""Fields whose option is not simply `--` and the field's name with dashes (`party_size` is `--party-size`)."""


def in_cli_words(error: DomainError, context: click.Context | None) -> str:
    """The error's message with its field named as this command takes it: `--method must be one of ...`, or
    `... (--to)` when the message does not name it. A field the command has no option for is left unnamed."""
    said = _carrier(error.field, _names(context)) if error.field else None
    message, field = error.message, error.field or ""
    if said is None:
        return message
    if field and message.startswith((f"{field} ", f"{field}:")):
        return said + message[len(field) :]
    if said.startswith("--") and said not in message:
        return f"{message} ({said})"
    return message


def _carrier(field: str, names: set[str]) -> str | None:
    if field.startswith("--"):
        return field
    candidates = (*CARRIED_BY.get(field, ()), "--" + field.rsplit(".", 1)[-1].replace("_", "-"))
    return next((name for name in candidates if name in names), None)


def _names(context: click.Context | None) -> set[str]:
    """The options (`--method`) and arguments (`SLUG`) of the command running."""
    if context is None:
        return set()
    names: set[str] = set()
    for param in context.command.params:
        if isinstance(param, click.Option):
            names.update(param.opts)
        elif param.name:
            names.add(param.name.upper())
    return names
