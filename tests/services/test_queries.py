from __future__ import annotations

from datetime import date

import pytest

from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.services import payments, queries
from shipcaptaincrew.services.context import Context


def test_a_reversed_window_is_refused_naming_to_by_every_listing(ctx: Context) -> None:
    later, earlier = date(2026, 12, 31), date(2026, 12, 1)

    for listing in (payments.entries_between, queries.list_events):
        with pytest.raises(InvalidInput) as error:
            listing(ctx, later, earlier)
        assert error.value.field == "to", listing
