"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106's low-memory profile)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argon2 import PasswordHasher


class Argon2Hasher:
    """argon2-cffi is loaded on the first sign-in, not at start-up: checking a token never needs it."""

    def __init__(self, time_cost: int = 3, memory_cost_kib: int = 64 * 1024) -> None:
        # Hashes carry their own parameters, so cheaper test hashers still verify production hashes.
        self._time_cost = time_cost
        self._memory_cost_kib = memory_cost_kib

    @functools.cached_property
    def _hasher(self) -> PasswordHasher:
        from argon2 import PasswordHasher

        return PasswordHasher(time_cost=self._time_cost, memory_cost=self._memory_cost_kib)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
