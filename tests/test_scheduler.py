"""The request planner on its own: pace, shares, hints (no Home Assistant needed)."""

from __future__ import annotations

from collections import Counter
import itertools
import math

import pytest

from custom_components.depotfinity.budget import HostScheduler
from custom_components.depotfinity.jobs import STATUS_KINDS, Job, JobKind
from custom_components.depotfinity.pace import HINT_RATE_WINDOW, next_tick
from custom_components.depotfinity.scheduler import (
    METER_SAMPLE_LAG,
    ONE_SHOT_RETRY,
    PollPlanner,
)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _fleet(chargers: int) -> list[tuple[str, int]]:
    return [(f"CH-{c:02}", n) for c in range(1, chargers + 1) for n in (1, 2)]


def _run(planner: PollPlanner, clock: Clock, spacing: float, seconds: float) -> list[Job]:
    ran: list[Job] = []
    end = clock.now + seconds
    while clock.now < end:
        clock.now += spacing
        if (job := planner.pop_due()) is not None:
            planner.done(job)
            ran.append(job)
    return ran


def test_period_follows_the_budget() -> None:
    """T = K / R: a bigger fleet gets a longer status period, never more requests."""
    clock = Clock()
    host = HostScheduler()
    small, large = PollPlanner(clock), PollPlanner(clock)
    small.set_fleet(_fleet(5))
    host.register("small", small)
    assert small.status_period == pytest.approx(small.sweep_cost / host.poll_rate, rel=0.01)
    large.set_fleet(_fleet(50))
    host.register("large", large)
    # Shared host: one period for both, fitted to their total cost.
    assert small.status_period == large.status_period
    total = small.sweep_cost + large.sweep_cost
    assert large.status_period == pytest.approx(total / host.poll_rate, rel=0.01)
    assert host.tick_interval("large") < host.tick_interval("small")
    host.unregister("large")
    assert small.status_period < large.status_period
    assert not host.empty


def test_budget_share_slows_the_pace() -> None:
    """An entry that may use 50 % of the budget halves the poll rate."""
    host = HostScheduler()
    full = host.poll_rate
    host.register("a", PollPlanner(Clock()), share=50)
    assert host.poll_rate == pytest.approx(full / 2)


def test_every_status_job_keeps_its_period_under_a_backlog() -> None:
    """A backlog of meter reads does not stretch the status period."""
    clock = Clock()
    host = HostScheduler()
    planner = PollPlanner(clock)
    planner.set_fleet(_fleet(10))
    host.register("e", planner)
    for charger, number in _fleet(10):
        planner.set_active(charger, number, active=True)
    host.rebalance()
    spacing = host.tick_interval("e")
    ran = _run(planner, clock, spacing, 10 * planner.status_period)
    counts = Counter(job.kind for job in ran)
    periods = 10
    status_per_period = counts[JobKind.CONNECTOR_STATUS] / periods
    assert status_per_period == pytest.approx(20, rel=0.15)
    assert counts[JobKind.POWER] > 0
    assert counts[JobKind.CONNECTIVITY] > 0
    assert counts[JobKind.TRANSACTIONS] > 0


def test_hints_jump_the_queue() -> None:
    """A follow-up after a command runs before anything else due but the minute's transactions."""
    clock = Clock()
    planner = PollPlanner(clock)
    planner.set_fleet(_fleet(3))
    planner.follow_up("CH-03", 2)
    clock.now += 3
    assert planner.pop_due() == Job(JobKind.TRANSACTIONS)  # due since the fleet was set
    planner.done(Job(JobKind.TRANSACTIONS))
    assert planner.pop_due() == Job(JobKind.CONNECTOR_STATUS, "CH-03", 2)
    planner.follow_up("CH-02", None)
    clock.now += 3
    assert planner.pop_due() == Job(JobKind.CHARGER_STATUS, "CH-02")


def test_meters_only_while_a_session_runs() -> None:
    """Power is polled while active; a register shown is read too, and once more at the end."""
    clock = Clock()
    planner = PollPlanner(clock)
    planner.set_fleet([("CH-01", 1)])
    power = Job(JobKind.POWER, "CH-01", 1)
    energy = Job(JobKind.ENERGY, "CH-01", 1)
    idle_cost = planner.sweep_cost
    planner.set_active("CH-01", 1, active=True)
    assert power in planner.jobs
    assert energy not in planner.jobs  # no entity shows the register
    assert planner.sweep_cost == pytest.approx(idle_cost + 0.5)
    planner.set_active("CH-01", 1, active=False)
    assert power not in planner.jobs

    planner.set_wanted(energy, wanted=True)
    assert planner.period_factor(energy) == 0.0  # idle: read once
    idle_cost = planner.sweep_cost
    planner.set_active("CH-01", 1, active=True)
    assert planner.sweep_cost == pytest.approx(idle_cost + 1.0)
    planner.set_active("CH-01", 1, active=False)
    assert power not in planner.jobs
    assert planner.period_factor(energy) == 0.0
    planner.done(energy)
    assert planner.due_in(energy) == float("inf")


def test_last_energy_of_a_session_is_read_late_enough_and_until_it_succeeds() -> None:
    """The session's final register read waits for the meter's last sample, then retries."""
    clock = Clock()
    planner = PollPlanner(clock)
    planner.set_fleet([("CH-01", 1)])
    energy = Job(JobKind.ENERGY, "CH-01", 1)
    planner.set_wanted(energy, wanted=True)
    planner.set_active("CH-01", 1, active=True)
    planner.done(energy)
    planner.set_active("CH-01", 1, active=False)
    # Not before the last sample can exist (samples lag the status by up to a minute).
    assert planner.due_in(energy) == METER_SAMPLE_LAG
    clock.now += METER_SAMPLE_LAG
    # The read fails (a 503): it is tried again, not forgotten.
    planner.done(energy, ok=False)
    assert planner.due_in(energy) == ONE_SHOT_RETRY
    planner.done(energy, ok=False)
    assert planner.due_in(energy) == ONE_SHOT_RETRY
    planner.done(energy)
    assert planner.due_in(energy) == float("inf")


def test_hourly_statistics_read_plans_its_next_run() -> None:
    """Each connector's statistics read costs a request an hour and plans its next run."""
    clock = Clock()
    planner = PollPlanner(clock)
    planner.set_fleet([("CH-01", 1), ("CH-01", 2)])
    statistics = Job(JobKind.STATISTICS, "CH-01", 1)
    assert planner.due_in(statistics) == 0.0
    assert planner.period_factor(statistics) == 0.0
    # Planned like the transactions read: a fixed rate the status period makes room for.
    assert planner.fixed_rate == pytest.approx(1 / 60 + 2 / 3600)
    planner.reschedule(statistics, 3000)  # what the read does while it runs
    planner.done(statistics)
    assert planner.due_in(statistics) == 3000
    planner.done(statistics, ok=False)
    assert planner.due_in(statistics) == ONE_SHOT_RETRY
    # A read that planned nothing (no recorder) is not due again.
    clock.now += ONE_SHOT_RETRY
    planner.done(statistics)
    assert planner.due_in(statistics) == float("inf")


def test_switched_off_kind_and_probe() -> None:
    """A forbidden API's jobs go; a probe runs once, later."""
    clock = Clock()
    planner = PollPlanner(clock)
    planner.set_fleet(_fleet(1))
    planner.remove_kind(JobKind.ENERGY)
    assert not any(job.kind is JobKind.ENERGY for job in planner.jobs)
    probe = Job(JobKind.PROBE, "Time Series")
    planner.add_probe(probe, 3600)
    assert planner.next_due_in() == 0.0  # other jobs are due now
    clock.now += 3601
    ran = _run(planner, clock, 1.0, 30)
    assert probe in ran
    assert probe not in planner.jobs


@pytest.mark.parametrize("chargers", [5, 50, 100])
def test_transactions_every_minute_at_any_fleet_size(chargers: int) -> None:
    """The fleet-wide read that shows session starts and ends does not slow with the fleet."""
    clock = Clock()
    host = HostScheduler()
    planner = PollPlanner(clock)
    planner.set_fleet(_fleet(chargers))
    host.register("e", planner)
    assert planner.status_period > 60 or chargers == 5
    ran_at: list[float] = []
    spacing = host.tick_interval("e")
    end = clock.now + 600
    while clock.now < end:
        if (job := planner.pop_due()) is not None:
            if job.kind is JobKind.TRANSACTIONS:
                ran_at.append(clock.now)
            if job.kind is JobKind.STATISTICS:
                planner.reschedule(job, 3600)  # as the import plans its next hour
            planner.done(job)
        clock.now += spacing
    gaps = [b - a for a, b in itertools.pairwise(ran_at)]
    assert len(ran_at) == pytest.approx(10, abs=1)
    assert max(gaps) <= 60 + spacing
    # Its requests are planned: the status period makes room for them (and for
    # each connector's hourly statistics read).
    assert planner.sweep_cost == pytest.approx(
        planner.periodic_cost + planner.status_period * (1 / 60 + 2 * chargers / 3600), rel=1e-6
    )


def test_a_probe_refused_again_is_planned_again() -> None:
    """A switched-off API keeps being probed until it answers."""
    clock = Clock()
    planner = PollPlanner(clock)
    probe = Job(JobKind.PROBE, "Charger Status")
    planner.add_probe(probe, 300)
    clock.now += 300
    assert planner.pop_due() == probe
    planner.add_probe(probe, 900)  # refused again while it ran
    planner.done(probe)
    assert planner.due_in(probe) == 900
    clock.now += 900
    assert planner.pop_due() == probe
    planner.done(probe)  # it answered: no more probes
    assert probe not in planner.jobs


def test_the_first_sweep_reads_what_was_never_read_first() -> None:
    """Within each share, a job that never ran goes before a re-read of one that did."""
    clock = Clock()
    planner = PollPlanner(clock)
    planner.set_fleet(_fleet(2))
    ran: list[Job] = []
    for _ in range(200):
        if (job := planner.pop_due()) is not None:
            ran.append(job)
            planner.done(job)
            # Everything that ran is due again at once: only "never ran" tells them apart.
            if job.kind is not JobKind.TRANSACTIONS and planner.period_factor(job):
                planner.reschedule(job, 0)
        clock.now += 1
        if planner.all_ran_since(1000.0):
            break
    assert planner.all_ran_since(1000.0)
    for status in (True, False):
        share = [job for job in ran if (job.kind in STATUS_KINDS) is status]
        kinds = {job for job in planner.jobs if (job.kind in STATUS_KINDS) is status}
        kinds.discard(Job(JobKind.TRANSACTIONS))
        first = [job for job in share if job.kind is not JobKind.TRANSACTIONS][: len(kinds)]
        assert set(first) == kinds  # each read once before any is read again


def test_the_status_read_longest_ago_goes_first() -> None:
    """Among due status reads, the one read longest ago runs first, whatever its due time."""
    clock = Clock()
    planner = PollPlanner(clock)
    planner.set_fleet(_fleet(1))
    planner.remove_kind(JobKind.TRANSACTIONS)
    first, second = status_jobs = [
        Job(JobKind.CONNECTOR_STATUS, "CH-01", 1),
        Job(JobKind.CONNECTOR_STATUS, "CH-01", 2),
    ]
    planner.done(first)
    clock.now += 50
    planner.set_status_period(20.0)  # the period shrank between the two reads
    planner.done(second)
    planner.set_status_period(100.0)
    clock.now += 200
    # Both due; ``second`` was planned sooner (a shorter period), ``first`` is older.
    assert all(planner.due_in(job) == 0 for job in status_jobs)
    assert planner.next_unread() == Job(JobKind.CHARGER_STATUS, "CH-01")
    planner.done(Job(JobKind.CHARGER_STATUS, "CH-01"))
    # (Other jobs may take the first ticks: the status reads have their share.)
    while (job := planner.pop_due()) is not None and job.kind not in STATUS_KINDS:
        planner.done(job)
    assert job == first


def test_a_read_is_planned_one_period_after_it_ran() -> None:
    """A late (or hinted) read moves the job's rhythm: no backlog is left behind."""
    clock = Clock()
    planner = PollPlanner(clock)
    planner.set_fleet(_fleet(1))
    job = Job(JobKind.CONNECTOR_STATUS, "CH-01", 1)
    planner.set_status_period(60.0)
    clock.now += 45  # ran 45 s late
    planner.done(job)
    assert planner.due_in(job) == pytest.approx(60.0)


def test_a_tick_with_nothing_due_reads_the_oldest_status() -> None:
    """The budget paid for the tick: the status read longest ago is read early."""
    clock = Clock()
    planner = PollPlanner(clock)
    planner.set_fleet(_fleet(1))
    for _ in range(3 * len(planner.jobs)):
        if (job := planner.pop_due()) is not None:
            planner.done(job)
        clock.now += 1
        if planner.next_due_in():
            break
    assert planner.next_due_in() > 0
    job = planner.pop_due()
    assert job is not None
    assert job.kind in STATUS_KINDS


def test_hinted_reads_make_room_for_themselves() -> None:
    """Hinted reads (sessions, follow-ups) come on top of the plan: T leaves room for them."""
    clock = Clock()
    host = HostScheduler()
    planner = PollPlanner(clock)
    planner.set_fleet(_fleet(5))
    planner.remove_kind(JobKind.TRANSACTIONS)
    host.register("e", planner)
    calm = planner.status_period
    for _ in range(30):
        planner.follow_up("CH-01", 1)
        clock.now += 10
        assert planner.pop_due() == Job(JobKind.CONNECTOR_STATUS, "CH-01", 1)
        planner.done(Job(JobKind.CONNECTOR_STATUS, "CH-01", 1))
    assert planner.hinted_rate == pytest.approx(30 / HINT_RATE_WINDOW)
    host.rebalance()
    assert planner.status_period > calm
    # K counts them: the period stays what the budget allows for every request.
    assert planner.sweep_cost == pytest.approx(host.poll_rate * planner.status_period)


def test_read_times_are_kept_across_a_restart() -> None:
    """A job read just before a restart is not read again at once; one read long ago is."""
    clock = Clock()
    before = PollPlanner(clock)
    before.set_fleet(_fleet(1))
    before.set_status_period(60.0)
    recent, old = Job(JobKind.CONNECTOR_STATUS, "CH-01", 1), Job(JobKind.CHARGER_STATUS, "CH-01")
    energy = Job(JobKind.ENERGY, "CH-01", 1)
    before.set_wanted(energy, wanted=True)
    clock.now = 1000.0
    before.done(old)
    before.done(energy)
    clock.now = 1050.0
    before.done(recent)
    saved = before.export_runs() | {"power|CH-01|1|": 1050.0, "not a job": 1.0}
    assert set(saved) >= {recent.key, old.key, energy.key}

    clock.now = 1070.0  # 20 s later, in a new process
    after = PollPlanner(clock)
    after.set_fleet(_fleet(1))
    after.set_status_period(60.0)
    after.restore_runs(saved)
    after.set_wanted(energy, wanted=True)  # its entity is added after the entry's setup
    assert after.due_in(recent) == pytest.approx(40.0)
    assert after.due_in(old) == 0
    assert after.due_in(energy) == math.inf  # its value was kept: no read needed
    assert after.due_in(Job(JobKind.CONNECTOR_STATUS, "CH-01", 2)) == 0  # never read
    assert not after.all_ran_since(1060.0)
    assert after.export_runs()[recent.key] == 1050.0


def test_a_refresh_fired_early_keeps_the_rhythm() -> None:
    """Home Assistant fires a refresh up to a second early: the next tick stays on the rhythm."""
    assert next_tick(100.0, 99.3, 3.2) == pytest.approx(103.2)  # early: not 102.5
    assert next_tick(100.0, 100.0, 3.2) == pytest.approx(103.2)
    assert next_tick(100.0, 120.0, 3.2) == pytest.approx(123.2)  # fell behind: from now
    assert next_tick(100.0, 90.0, 3.2) == pytest.approx(93.2)  # an extra refresh: from now


def _statuses_and_meters(clock: Clock, chargers: int, period: float) -> PollPlanner:
    """A planner of status, connectivity and meter reads only, at status period ``period``."""
    planner = PollPlanner(clock)
    planner.set_fleet(_fleet(chargers))
    planner.remove_kind(JobKind.TRANSACTIONS)
    planner.remove_kind(JobKind.STATISTICS)
    planner.set_status_period(period)
    return planner


def test_status_reads_catch_up_on_the_ticks_hints_took() -> None:
    """Hinted reads take ticks from the other jobs, not from the status rhythm."""
    clock = Clock()
    planner = _statuses_and_meters(clock, 10, 40.0)
    hinted = [Job(JobKind.ENERGY, "CH-01", n) for n in (1, 2)]
    for job in hinted:
        planner.set_wanted(job, wanted=True)
    for _ in range(200):  # every job has run; the other jobs are due again
        job = planner.pop_due()
        assert job is not None
        planner.done(job)
        clock.now += 1
    for charger in range(1, 11):
        planner.reschedule(Job(JobKind.CONNECTIVITY, f"CH-{charger:02}"), 0.0)
    for job in hinted:
        planner.mark_due(job, 0.0)
    ticks = []
    for _ in range(4):
        job = planner.pop_due()
        assert job is not None
        ticks.append(job)
        planner.done(job)
    assert ticks[:2] == hinted
    # The two status ticks the hints took come next, before the due connectivity reads.
    assert all(job.kind in STATUS_KINDS for job in ticks[2:])


def test_a_status_read_early_is_planned_one_period_on() -> None:
    """A spare tick reads the oldest status early; its next read is one period later, not sooner."""
    clock = Clock()
    planner = _statuses_and_meters(clock, 1, 60.0)
    for job in list(planner.jobs):
        planner.done(job)
    clock.now += 50  # nothing is due for another 10 s
    early = planner.pop_due()
    assert early is not None
    assert early.kind in STATUS_KINDS
    planner.done(early)
    assert planner.due_in(early) == pytest.approx(60.0)
    # A follow-up asked for while it ran still comes first.
    planner.follow_up("CH-01", 1)
    planner.done(Job(JobKind.CONNECTOR_STATUS, "CH-01", 1))
    assert planner.due_in(Job(JobKind.CONNECTOR_STATUS, "CH-01", 1)) == pytest.approx(3.0)


def test_a_due_hint_is_told() -> None:
    """A due hinted read is told, so the coordinator's next tick does not wait for the pace."""
    clock = Clock()
    planner = _statuses_and_meters(clock, 1, 60.0)
    for job in list(planner.jobs):
        planner.done(job)
    assert not planner.hint_due()
    planner.follow_up("CH-01", 1)
    assert not planner.hint_due()  # not yet: a follow-up waits a few seconds
    clock.now += 3
    assert planner.hint_due()
    assert planner.pop_due() == Job(JobKind.CONNECTOR_STATUS, "CH-01", 1)
    planner.done(Job(JobKind.CONNECTOR_STATUS, "CH-01", 1))
    assert not planner.hint_due()


def test_a_session_running_through_a_restart_keeps_its_power_rhythm() -> None:
    """After a restart the power shown before it stands: no hinted read, its rhythm goes on."""
    clock = Clock()
    before = _statuses_and_meters(clock, 1, 60.0)
    before.set_active("CH-01", 1, active=True)
    power = Job(JobKind.POWER, "CH-01", 1)
    assert before.hint_due()  # a new session: its first power reading at once
    before.done(power)
    saved = before.export_runs()
    clock.now += 30
    after = _statuses_and_meters(clock, 1, 60.0)
    after.restore_runs(saved)
    after.set_active("CH-01", 1, active=True)
    assert not after.hint_due()
    assert after.due_in(power) == pytest.approx(2 * 60.0 - 30)


def test_a_reading_wanted_while_its_api_is_off_comes_with_the_api() -> None:
    """A wish made while the API is switched off is kept, and planned once the API is back."""
    clock = Clock()
    planner = PollPlanner(clock)
    planner.set_fleet(_fleet(1))
    planner.remove_kind(JobKind.RESERVATIONS)  # not in the package
    reservations = Job(JobKind.RESERVATIONS, "CH-01", 1)
    planner.set_wanted(reservations, wanted=True)
    assert reservations not in planner.jobs
    planner.set_fleet(_fleet(1))  # the API answers again: the configuration is synced
    assert reservations in planner.jobs
    planner.set_wanted(reservations, wanted=False)
    planner.set_fleet(_fleet(1))
    assert reservations not in planner.jobs
