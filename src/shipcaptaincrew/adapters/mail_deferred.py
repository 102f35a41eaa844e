"""A mailer built on its first use, so the mail stack stays unloaded until a message goes out."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shipcaptaincrew.domain.mail import Email
    from shipcaptaincrew.ports import Mailer


class DeferredMailer:
    """Stands in for the configured mailer and builds it when first asked to send.

    The transports import the email package, templates or a provider's SDK; a Lambda cold start answering a
    request that sends nothing should not pay for them. Anything else asked of it (a transport's `describe`,
    a folder transport's `folder`) is the built mailer's own.
    """

    def __init__(self, build: Callable[[], Mailer]) -> None:
        self._build = build

    @functools.cached_property
    def built(self) -> Mailer:
        return self._build()

    def send(self, email: Email, message_id: str) -> str | None:
        return self.built.send(email, message_id)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # never build for Python's own probes (copy, pickle, _build before __init__)
            raise AttributeError(name)
        return getattr(self.built, name)
