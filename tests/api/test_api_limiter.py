"""Unit tests of the request limiter (virtual time, no network)."""

from __future__ import annotations

import asyncio

import pytest

from custom_components.depotfinity.api import (
    DepotFinityRateLimitError,
    DepotFinityServerError,
    DepotFinityUnavailableError,
    Priority,
    RequestLimiter,
)


class ManualTime:
    """A clock that only moves on ``advance``; ``sleep`` waits until then."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.now + delay, future))
        await future

    @property
    def sleeping(self) -> int:
        return sum(1 for _, future in self._sleepers if not future.done())

    async def advance(self, seconds: float) -> None:
        self.now += seconds
        for wake_at, future in self._sleepers:
            if wake_at <= self.now and not future.done():
                future.set_result(None)
        self._sleepers = [(w, f) for w, f in self._sleepers if not f.done()]
        for _ in range(5):
            await asyncio.sleep(0)


def _limiter(time: ManualTime, **kwargs: float) -> RequestLimiter:
    return RequestLimiter(clock=time.clock, sleep=time.sleep, **kwargs)  # type: ignore[arg-type]


async def _done(limiter: RequestLimiter, priority: Priority = Priority.POLL) -> None:
    """Acquire a slot for a request that finishes at once (as the client does)."""
    limiter.release(await limiter.acquire(priority))


async def test_polls_stop_at_the_command_reserve() -> None:
    time = ManualTime()
    limiter = _limiter(time)
    for _ in range(90):
        await limiter.acquire(Priority.POLL, max_wait=0)
    assert limiter.used() == 90
    assert limiter.available(Priority.POLL) == 0
    assert limiter.available(Priority.COMMAND) == 10
    with pytest.raises(DepotFinityRateLimitError) as err:
        await limiter.acquire(Priority.POLL, max_wait=0)
    # The oldest slot frees after the window plus the safety margin.
    assert err.value.retry_after == pytest.approx(301.0)
    assert limiter.next_slot_in(Priority.POLL) == pytest.approx(301.0)
    assert limiter.next_slot_in(Priority.COMMAND) == 0.0


async def test_commands_use_the_whole_window_then_fail_fast() -> None:
    time = ManualTime()
    limiter = _limiter(time)
    for _ in range(90):
        await limiter.acquire(Priority.POLL)
    for _ in range(10):
        await limiter.acquire(Priority.COMMAND, max_wait=0)
    assert limiter.used() == 100
    with pytest.raises(DepotFinityRateLimitError) as err:
        await limiter.acquire(Priority.COMMAND, max_wait=0)
    assert err.value.retry_after == pytest.approx(301.0)
    assert time.sleeping == 0


async def test_slots_free_as_the_window_slides() -> None:
    time = ManualTime()
    limiter = _limiter(time, max_requests=3, window=10.0, command_reserve=0, safety_margin=0.0)
    await _done(limiter)
    await time.advance(4)
    await _done(limiter)
    await _done(limiter)
    assert limiter.next_slot_in(Priority.POLL) == pytest.approx(6.0)
    await time.advance(6)
    assert limiter.used() == 2
    assert limiter.available(Priority.POLL) == 1


async def test_poll_waits_for_a_slot() -> None:
    time = ManualTime()
    limiter = _limiter(time, max_requests=2, window=10.0, command_reserve=0, safety_margin=0.0)
    await _done(limiter)
    await _done(limiter)
    waiter = asyncio.create_task(limiter.acquire(Priority.POLL))
    await time.advance(0)
    assert not waiter.done()
    assert time.sleeping == 1
    await time.advance(10)
    slot = await waiter
    assert slot.at == 10.0
    assert limiter.used() == 1  # both old slots expired at t=10


async def test_poll_with_max_wait_raises_instead_of_waiting() -> None:
    time = ManualTime()
    limiter = _limiter(time, max_requests=1, window=10.0, command_reserve=0, safety_margin=0.0)
    await limiter.acquire(Priority.POLL)
    with pytest.raises(DepotFinityRateLimitError) as err:
        await limiter.acquire(Priority.POLL, max_wait=5)
    assert err.value.retry_after == pytest.approx(10.0)
    assert time.sleeping == 0


async def test_commands_are_not_queued_behind_polls() -> None:
    time = ManualTime()
    limiter = _limiter(time, max_requests=5, window=60.0, command_reserve=2)
    for _ in range(3):
        await _done(limiter)
    polls = [asyncio.create_task(limiter.acquire(Priority.POLL)) for _ in range(4)]
    await time.advance(0)
    assert time.sleeping == 4
    slot = await limiter.acquire(Priority.COMMAND, max_wait=0)
    assert slot.priority is Priority.COMMAND
    assert not any(poll.done() for poll in polls)
    assert limiter.used() == 4
    limiter.release(slot)
    await time.advance(61)  # the three poll slots expire: three of the four waiters proceed
    assert sum(poll.done() for poll in polls) == 3
    for poll in polls:
        if poll.done():
            limiter.release(poll.result())
    await time.advance(61)
    assert all(poll.done() for poll in polls)
    await asyncio.gather(*polls)


async def test_penalty_fails_commands_fast_with_the_remaining_time() -> None:
    time = ManualTime()
    limiter = _limiter(time)
    limiter.penalize(90)
    await time.advance(30)
    assert limiter.blocked_for() == pytest.approx(60.0)
    assert limiter.available(Priority.COMMAND) == 0
    assert limiter.next_slot_in(Priority.COMMAND) == pytest.approx(60.0)
    with pytest.raises(DepotFinityRateLimitError) as err:
        await limiter.acquire(Priority.COMMAND, max_wait=0)
    assert err.value.retry_after == pytest.approx(60.0)
    # Polls do not wait minutes either.
    with pytest.raises(DepotFinityRateLimitError):
        await limiter.acquire(Priority.POLL)
    assert limiter.used() == 0
    # A shorter penalty does not shorten a running one.
    limiter.penalize(1)
    assert limiter.blocked_for() == pytest.approx(60.0)


async def test_poll_waits_out_a_penalty_within_max_wait() -> None:
    time = ManualTime()
    limiter = _limiter(time)
    limiter.penalize(5)
    waiter = asyncio.create_task(limiter.acquire(Priority.POLL, max_wait=10))
    await time.advance(0)
    assert not waiter.done()
    await time.advance(5)
    await waiter
    assert limiter.used() == 1
    assert limiter.blocked_for() == 0.0


async def test_release_counts_the_slot_from_the_end_of_the_request() -> None:
    time = ManualTime()
    limiter = _limiter(time, max_requests=1, window=10.0, command_reserve=0, safety_margin=0.0)
    slot = await limiter.acquire(Priority.POLL)
    await time.advance(3)
    limiter.release(slot)
    assert slot.at == 3.0
    assert limiter.next_slot_in(Priority.POLL) == pytest.approx(10.0)


async def test_in_flight_slots_do_not_expire_until_released() -> None:
    time = ManualTime()
    limiter = _limiter(time, max_requests=2, window=10.0, command_reserve=0, safety_margin=0.0)
    slow = await limiter.acquire(Priority.POLL)
    await _done(limiter)
    assert limiter.in_flight() == 1
    await time.advance(10)
    # The finished request's slot expired; the one still in flight is counted from now.
    assert limiter.used() == 1
    assert limiter.next_slot_in(Priority.POLL) == 0.0
    await _done(limiter)
    assert limiter.next_slot_in(Priority.POLL) == pytest.approx(10.0)
    await time.advance(5)
    limiter.release(slow)
    assert limiter.in_flight() == 0
    assert slow.at == 15.0


async def test_a_slot_never_released_is_dropped_after_two_windows() -> None:
    time = ManualTime()
    limiter = _limiter(time, max_requests=1, window=10.0, command_reserve=0, safety_margin=0.0)
    await limiter.acquire(Priority.POLL)
    await time.advance(10)
    assert limiter.in_flight() == 0
    assert limiter.used() == 1
    await time.advance(10)
    assert limiter.used() == 0


async def test_window_clears_when_the_oldest_request_leaves_it() -> None:
    time = ManualTime()
    limiter = _limiter(time, max_requests=5, window=100.0, command_reserve=0, safety_margin=1.0)
    assert limiter.window_clears_in() == 100.0  # nothing of ours in the log: a whole window
    await _done(limiter)
    await time.advance(30)
    await _done(limiter)
    assert limiter.window_clears_in() == pytest.approx(71.0)
    await time.advance(71)
    assert limiter.window_clears_in() == pytest.approx(30.0)


async def test_back_off_after_429_without_retry_after() -> None:
    time = ManualTime()
    limiter = _limiter(time)
    await _done(limiter)
    await time.advance(100)
    error = DepotFinityRateLimitError("429", status=429)
    assert limiter.back_off(error) == pytest.approx(201.0)
    assert error.retry_after == pytest.approx(201.0)
    assert limiter.blocked_for() == pytest.approx(201.0)
    with pytest.raises(DepotFinityRateLimitError):
        limiter.raise_if_blocked()


async def test_back_off_ladder_after_503s_and_reset_by_success() -> None:
    time = ManualTime()
    limiter = _limiter(time)
    pauses = []
    for _ in range(4):
        pauses.append(limiter.back_off(DepotFinityUnavailableError("503", status=503)))
        await time.advance(200)
    assert pauses == [30.0, 60.0, 90.0, 90.0]
    limiter.record_success()
    assert limiter.back_off(DepotFinityUnavailableError("503")) == 30.0
    with pytest.raises(DepotFinityUnavailableError) as err:
        limiter.raise_if_blocked()
    assert err.value.retry_after == pytest.approx(30.0)
    assert err.value.status is None


async def test_back_off_honours_and_caps_retry_after_and_ignores_other_errors() -> None:
    time = ManualTime()
    limiter = _limiter(time)
    assert limiter.back_off(DepotFinityServerError("500", status=500)) is None
    assert limiter.blocked_for() == 0.0
    limiter.raise_if_blocked()  # nothing to raise
    assert limiter.back_off(DepotFinityUnavailableError("503", retry_after=12)) == 12.0
    assert limiter.back_off(DepotFinityRateLimitError("429", retry_after=1e9)) == 300.0
    assert limiter.blocked_for() == 300.0


def test_defaults_and_no_class_level_registry() -> None:
    first = RequestLimiter()
    assert first.max_requests == 100
    assert first.window == 300.0
    assert first.command_reserve == 10
    assert not hasattr(RequestLimiter, "for_host")
    assert not hasattr(RequestLimiter, "_registry")
    # Kept for old callers until they are adapted: a deprecated no-op.
    with pytest.warns(DeprecationWarning, match="no shared limiter"):
        RequestLimiter.clear_registry()


@pytest.mark.parametrize(
    "kwargs",
    [{"max_requests": 0}, {"command_reserve": 100}, {"command_reserve": -1}, {"window": 0}],
)
def test_invalid_settings_are_rejected(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        RequestLimiter(**kwargs)  # type: ignore[arg-type]


def test_the_window_is_carried_over_a_restart() -> None:
    """Ages, not monotonic times, survive a restart: the first requests after it stay in budget."""
    before = _limiter(ManualTime())
    before.import_log({"ages": [float(age) for age in range(80)]}, elapsed=0.0)
    before.penalize(50, unavailable=True)
    saved = before.export_log()
    assert len(saved["ages"]) == 80
    assert saved["blocked_for"] == 50
    assert saved["unavailable"] is True

    later = ManualTime()
    later.now = 5000.0  # a new process: another monotonic clock
    after = _limiter(later)
    after.import_log(saved, elapsed=30.0)
    # Ages 0..79 s plus the 30 s since: all still inside the 5-minute window.
    assert after.used() == 80
    assert after.blocked_for() == 20
    with pytest.raises(DepotFinityUnavailableError):
        after.raise_if_blocked()
    later.now += 20  # the pause is over; the window still holds the 80 requests
    assert after.available(Priority.POLL) == 10


def test_an_old_or_broken_window_is_not_carried_over() -> None:
    """Requests that left the window meanwhile, and junk, count for nothing."""
    limiter = _limiter(ManualTime())
    limiter.import_log({"ages": [10, "x", None, True, 250], "blocked_for": "soon"}, elapsed=100.0)
    assert limiter.used() == 1  # 10 + 100 s is inside; 250 + 100 s is not
    assert limiter.blocked_for() == 0
    limiter.import_log({"ages": "nope"}, elapsed=0.0)
    assert limiter.used() == 1


async def test_the_steady_rate_spreads_what_is_left_until_a_burst_leaves_the_window() -> None:
    """After a burst, an even pace that never meets a full window (no stop, no echo of it)."""
    time = ManualTime()
    limiter = _limiter(time, max_requests=100, window=300.0, command_reserve=5, safety_margin=0.0)
    assert limiter.steady_rate(spare=2) == float("inf")  # nothing in the window limits it
    for _ in range(31):  # the first sweep's burst
        limiter.release(await limiter.acquire())
    # 62 more polls may go before the burst leaves the window, 300 s from now.
    assert limiter.steady_rate(spare=2) == pytest.approx(63 / 300)
    # Sending at that rate, the window never holds more than the 93 polls.
    sent = 31
    for _ in range(600):
        await time.advance(1 / limiter.steady_rate(spare=2))
        assert limiter.available(Priority.POLL) > 2
        limiter.release(await limiter.acquire())
        sent += 1
        if time.now > 600:
            break
    assert sent > 31 + 62  # and it went on past the window's end
