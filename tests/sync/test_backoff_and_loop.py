"""The backoff table and the background loop's timing, with a stand-in client."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from console.sync.client import Backoff, SyncLoop, SyncReport


@pytest.mark.parametrize(("rng", "expected"), [
    (0.0, [5, 10, 20, 40, 80, 160, 320, 600, 600]),     # no jitter drawn: doubling up to the cap
    (1.0, [2.5, 5, 10, 20, 40, 80, 160, 300, 300]),     # the most jitter takes half off
    (0.5, [3.75, 7.5, 15, 30, 60, 120, 240, 450, 450]),
])
def test_backoff_doubles_to_a_cap_with_jitter(rng: float, expected: list[float]) -> None:
    backoff = Backoff(base=5, cap=600, jitter=0.5, rng=lambda: rng)
    assert [backoff.failure() for _ in expected] == pytest.approx(expected)


def test_success_starts_the_backoff_over() -> None:
    backoff = Backoff(base=1, cap=100, jitter=0, rng=lambda: 0)
    assert [backoff.failure() for _ in range(3)] == [1, 2, 4]
    backoff.success()
    assert backoff.failure() == 1


@pytest.mark.parametrize("bad", [dict(base=0), dict(base=10, cap=5), dict(factor=0.5), dict(jitter=1)])
def test_nonsense_backoff_is_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Backoff(**bad)


class FakeClient:
    """Counts syncs; fails while ``failing``."""

    timeout = 1.0

    def __init__(self) -> None:
        self.calls: list[float] = []
        self.failing = False

    async def sync_once(self) -> SyncReport:
        self.calls.append(asyncio.get_running_loop().time())
        return SyncReport(errors=("down",)) if self.failing else SyncReport()


def _loop(client: FakeClient, live: bool, **kwargs: Any) -> SyncLoop:
    async def is_live() -> bool:
        return live

    return SyncLoop(client, is_live=is_live, **kwargs)  # type: ignore[arg-type]


def test_the_loop_syncs_at_start_then_every_interval_and_stops_cleanly() -> None:
    async def scenario() -> int:
        client = FakeClient()
        loop = _loop(client, live=False, normal_interval=0.1)
        loop.start()
        await asyncio.sleep(0.35)
        await loop.stop()
        assert not loop.running
        calls = len(client.calls)
        await asyncio.sleep(0.2)
        assert len(client.calls) == calls   # stopped means stopped
        return calls

    assert 3 <= asyncio.run(scenario()) <= 5


@pytest.mark.parametrize(("live", "expect_sync"), [(True, True), (False, False)])
def test_a_change_during_a_live_show_syncs_within_seconds(live: bool, expect_sync: bool) -> None:
    async def scenario() -> int:
        client = FakeClient()
        loop = _loop(client, live=live, normal_interval=60, change_delay=0.05)
        loop.start()
        await asyncio.sleep(0.05)          # the first sync at start
        loop.notify_change()
        await asyncio.sleep(0.2)
        await loop.stop()
        return len(client.calls)

    assert asyncio.run(scenario()) == (2 if expect_sync else 1)


@pytest.mark.parametrize(("live", "expected"), [(True, range(4, 8)), (False, range(1, 2))])
def test_while_a_show_is_live_the_loop_runs_every_few_seconds_without_a_change(live: bool,
                                                                             expected: range) -> None:
    async def scenario() -> int:
        client = FakeClient()
        loop = _loop(client, live=live, normal_interval=60, live_interval=0.05)
        loop.start()
        await asyncio.sleep(0.28)          # no edit: pulls of the show's other consoles, head office's
        await loop.stop()
        return len(client.calls)

    assert asyncio.run(scenario()) in expected


def test_a_failure_always_schedules_the_next_attempt_and_success_resets() -> None:
    async def scenario() -> tuple[int, int]:
        client = FakeClient()
        client.failing = True
        loop = _loop(client, live=False, normal_interval=60,
                     backoff=Backoff(base=0.02, cap=0.05, jitter=0, rng=lambda: 0))
        loop.start()
        await asyncio.sleep(0.3)           # no edit happens: retries come from the backoff alone
        failures = len(client.calls)
        client.failing = False
        await asyncio.sleep(0.1)
        after = len(client.calls)
        await asyncio.sleep(0.1)
        await loop.stop()
        assert loop.backoff.failures == 0 and len(client.calls) == after  # back to the long interval
        return failures, after

    failures, after = asyncio.run(scenario())
    assert failures >= 4 and after == failures + 1


def test_change_delay_beyond_five_seconds_is_refused() -> None:
    with pytest.raises(ValueError):
        SyncLoop(FakeClient(), change_delay=6)  # type: ignore[arg-type]
