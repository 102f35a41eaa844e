"""The domain's errors. The web layer maps each class to an HTTP status in one table."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a message fit to show a user, a stable code, and the field at fault if any."""

    code = "invalid"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    code = "invalid"


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class SlugTaken(Conflict):
    code = "slug_taken"


class NeedsConfirmation(Conflict):
    """A value so far from what is expected that it is likely a typo (a payment ten times what is owed): it is
    saved only when sent again confirmed. `field` is the value in doubt."""

    code = "confirm_required"


class StaleVersion(Conflict):
    code = "stale_version"


class AlreadyUsed(Conflict):
    """A one-time thing (a form's token) was used before."""

    code = "already_used"


class Unauthorized(DomainError):
    code = "unauthorized"


class WrongPassword(Unauthorized):
    """A wrong admin password. `delay`: seconds to hold back the answer while wrong guesses pour in."""

    def __init__(self, message: str, field: str | None = None, delay: float = 0.0) -> None:
        super().__init__(message, field)
        self.delay = delay


class Throttled(DomainError):
    code = "throttled"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(DomainError):
    """The store (or the server) is busy or down; the request may be retried and nothing was written."""

    code = "unavailable"

    def __init__(self, message: str, field: str | None = None, retry_after: int | None = None) -> None:
        super().__init__(message, field)
        self.retry_after = retry_after


class Contention(Unavailable):
    """Another request changed what this one read between its read and its write (an optimistic condition
    failed), so nothing was written. Not a conflict of intent: the use case runs again from a fresh read
    (services/retries.py); only if every attempt loses does a client see it, as 503 with Retry-After."""

    code = "busy"

    def __init__(self, message: str, field: str | None = None, retry_after: int | None = 1) -> None:
        super().__init__(message, field, retry_after)


class UnsupportedMediaType(DomainError):
    """A body sent in a form the request does not take (e.g. not JSON where only JSON is accepted)."""

    code = "unsupported_media_type"


class IdempotencyKeyReused(DomainError):
    """An Idempotency-Key sent again with a different request."""

    code = "idempotency_key_reused"
