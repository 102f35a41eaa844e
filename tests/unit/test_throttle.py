from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shipcaptaincrew.domain.throttle import LoginThrottle, RateLimit, SignInLimits, limit_key

WINDOW = 900


def throttle_after(*failures: tuple[str, float], **settings: int) -> LoginThrottle:
    """A throttle that has seen these (client, time) failures."""
    throttle = LoginThrottle(window_seconds=WINDOW, **settings)
    for client, now in failures:
        throttle.failed(client, now)
    return throttle


def test_a_client_with_no_failures_may_try_now() -> None:
    assert LoginThrottle().retry_after("10.0.0.1", 1_000.0) == 0


def test_four_failures_do_not_block_a_client() -> None:
    throttle = throttle_after(*[("mallory", float(t)) for t in range(4)])
    assert throttle.retry_after("mallory", 4.0) == 0


def test_five_failures_block_the_client_until_the_first_leaves_the_window() -> None:
    throttle = throttle_after(*[("mallory", float(t)) for t in range(5)])
    assert throttle.retry_after("mallory", 5.0) == WINDOW - 5
    assert throttle.retry_after("mallory", WINDOW - 1.0) == 1
    assert throttle.retry_after("mallory", float(WINDOW)) == 0


def test_a_block_is_reported_in_whole_seconds_rounded_up() -> None:
    throttle = throttle_after(*[("mallory", 0.0)] * 5)
    assert throttle.retry_after("mallory", WINDOW - 0.25) == 1


def test_the_five_failures_of_one_client_do_not_block_another() -> None:
    throttle = throttle_after(*[("mallory", 0.0)] * 5)
    assert throttle.retry_after("alice", 1.0) == 0


def test_a_success_clears_the_client() -> None:
    throttle = throttle_after(*[("alice", 0.0)] * 5)
    throttle.succeeded("alice")
    assert throttle.retry_after("alice", 1.0) == 0


def test_a_success_of_an_unknown_client_is_harmless() -> None:
    throttle = LoginThrottle()
    throttle.succeeded("nobody")
    assert throttle.retry_after("nobody", 0.0) == 0


def test_the_overall_limit_blocks_every_client() -> None:
    throttle = throttle_after(*[(f"bot-{n}", float(n)) for n in range(50)])
    assert throttle.retry_after("alice", 50.0) == WINDOW - 50
    assert throttle.retry_after("alice", float(WINDOW)) == 0


def test_a_success_does_not_clear_the_overall_count() -> None:
    throttle = throttle_after(*[(f"bot-{n}", 0.0) for n in range(50)])
    throttle.succeeded("bot-0")
    assert throttle.retry_after("bot-0", 1.0) > 0


def test_the_least_recently_failing_client_is_forgotten_when_the_table_is_full() -> None:
    throttle = throttle_after(("a", 0.0), ("b", 1.0), ("c", 2.0), per_client=1, max_clients=2)
    assert throttle.retry_after("a", 3.0) == 0
    assert throttle.retry_after("b", 3.0) > 0
    assert throttle.retry_after("c", 3.0) > 0


CLIENTS = ("alice", "bob", "mallory")
# Mostly short pauses with the odd long one, and mostly failures, so that most runs reach a block and see it end.
pauses = st.sampled_from([0, 0, 1, 5, 10, 30, 60, 120, 300, 900])
steps = st.lists(st.tuples(st.sampled_from(CLIENTS), pauses, st.sampled_from([True, True, True, False])), min_size=15)


@given(steps)
def test_no_block_lasts_longer_than_the_window_and_it_ends_when_announced(steps: list[tuple[str, int, bool]]) -> None:
    throttle = LoginThrottle(per_client=5, overall=8, window_seconds=WINDOW)
    now = 1_700_000_000.0
    for client, pause, failed in steps:
        now += pause
        if failed:
            throttle.failed(client, now)
        else:
            throttle.succeeded(client)
        for anyone in (*CLIENTS, "newcomer"):
            assert 0 <= throttle.retry_after(anyone, now) <= WINDOW
    waits = {anyone: throttle.retry_after(anyone, now) for anyone in CLIENTS}
    for anyone, wait in sorted(waits.items(), key=lambda item: item[1]):  # queries must not go back in time
        assert throttle.retry_after(anyone, now + wait) == 0


def test_a_block_never_exceeds_the_window_even_at_float_rounding_edges() -> None:
    just_before_2038 = 2**31 - 500 + 3 * 2**-22
    throttle = throttle_after(*[("mallory", just_before_2038)] * 5)
    assert throttle.retry_after("mallory", just_before_2038) <= WINDOW


def test_a_rate_limit_counts_each_client_alone() -> None:
    limit = RateLimit(limit=3, window_seconds=60)

    assert [limit.hit("a", 0.0) for _ in range(4)] == [0, 0, 0, 60]
    assert limit.hit("b", 1.0) == 0
    assert limit.blocked("a", 30.0) == 30 and limit.blocked("a", 60.0) == 0


def test_a_flood_from_many_addresses_neither_blocks_another_client_nor_grows_without_bound() -> None:
    limit = RateLimit(limit=3, window_seconds=60, max_clients=100)

    for number in range(10_000):
        limit.hit(f"10.0.{number // 256}.{number % 256}", 1.0)

    assert limit.hit("192.0.2.1", 2.0) == 0
    assert len(limit._seen) <= 100


def test_an_ipv6_client_is_counted_by_its_slash_64() -> None:
    assert limit_key("2001:db8:1:2:aaaa::1") == limit_key("2001:db8:1:2:ffff:1:2:3") == "2001:db8:1:2::/64"
    assert limit_key("2001:db8:1:3::1") != limit_key("2001:db8:1:2::1")


def test_an_ipv4_client_is_its_address_however_it_is_written() -> None:
    assert limit_key("203.0.113.7") == limit_key("::ffff:203.0.113.7") == "203.0.113.7"
    assert limit_key("testclient") == "testclient"


def test_a_whole_slash_64_shares_one_request_limit() -> None:
    limit = RateLimit(limit=3, window_seconds=60)
    waits = [limit.hit(f"2001:db8:0:1::{n:x}", 0.0) for n in range(4)]

    assert waits[:3] == [0, 0, 0]
    assert waits[3] > 0
    assert limit.hit("2001:db8:0:2::1", 0.0) == 0


def test_everyones_failures_delay_a_wrong_guess_from_the_overall_limit_on() -> None:
    limits = SignInLimits(overall=3, slow_down=timedelta(seconds=2))
    moments = [datetime(2026, 5, 1, tzinfo=UTC)] * 3

    assert limits.delay(moments[:2]) == 0
    assert limits.delay(moments) == 2.0


def test_a_client_with_its_limit_of_failures_waits_until_the_oldest_leaves_the_window() -> None:
    limits = SignInLimits(per_client=2, window=timedelta(minutes=15))
    now = datetime(2026, 5, 1, 9, tzinfo=UTC)
    mine = [now - timedelta(minutes=1), now - timedelta(minutes=10)]

    assert limits.client_wait(mine[:1], now) == 0
    assert limits.client_wait(mine, now) == 5 * 60
