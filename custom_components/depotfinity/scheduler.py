"""Request budget planning for DepotFinity polling.

The service allows 100 requests per 5 minutes per client IP. Every config
entry that talks to the same API host shares that budget, so one
host scheduler (``budget.py``) hands each entry's coordinator its pace, and a
:class:`PollPlanner` per entry decides which request is due next.

The planner knows nothing about Home Assistant: it works on plain job keys
and seconds, so the benchmark can drive it with a virtual clock.

Cadence, cheapest first to most frequent (T = status period):
- connector status and charger availability: every T;
- charger connectivity: every 3 T;
- power and energy of connectors in a session: every 2 T;
- a fleet-wide transactions query (session starts/ends, last sessions): every
  60 s, whatever T (it goes first when due).
T itself follows from the fleet: T = K0 / (R - F), where K0 is the number of
requests one sweep costs (amortised over the slower jobs), R the poll rate the
budget allows after keeping a reserve for commands, and F the rate of the
fixed-period reads (transactions; each connector's statistics once an hour).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
import heapq
import itertools

from .api import ApiGroup

# Requests kept unused below the poll budget, so clock skew between us and the
# service never turns into a 429.
POLL_MARGIN = 2
# The fleet-wide transactions read runs every minute whatever the fleet's size:
# it shows every session that starts or ends (5 requests per 5 minutes).
TRANSACTIONS_PERIOD = 60.0
MIN_STATUS_PERIOD = 10.0
FOLLOW_UP_DELAYS = (3.0, 10.0)
# [INFERRED] How long a meter sample may lag the connector status (the simulator
# samples once a minute).
METER_SAMPLE_LAG = 60.0
# A failed one-shot read is tried again after this long.
ONE_SHOT_RETRY = 30.0
STATISTICS_PERIOD = 3600.0  # each connector's energy statistics: read once an hour
# Ticks of credit other jobs may save up while none of them is due.
MAX_OTHER_CREDIT = 2.0


class JobKind(StrEnum):
    """What a job fetches."""

    CONNECTOR_STATUS = "connector_status"
    CHARGER_STATUS = "charger_status"
    CONNECTIVITY = "connectivity"
    POWER = "power"
    ENERGY = "energy"
    CHARGER_METER = "charger_meter"
    TRANSACTIONS = "transactions"
    RESERVATIONS = "reservations"
    PROBE = "probe"
    STATISTICS = "statistics"


# The API group (subscription package) each kind of job reads.
JOB_API: dict[JobKind, ApiGroup] = {
    JobKind.CONNECTOR_STATUS: ApiGroup.CHARGER_STATUS,
    JobKind.CHARGER_STATUS: ApiGroup.CHARGER_STATUS,
    JobKind.CONNECTIVITY: ApiGroup.CHARGER_STATUS,
    JobKind.POWER: ApiGroup.TIME_SERIES,
    JobKind.ENERGY: ApiGroup.TIME_SERIES,
    JobKind.CHARGER_METER: ApiGroup.TIME_SERIES,
    JobKind.STATISTICS: ApiGroup.TIME_SERIES,
    JobKind.TRANSACTIONS: ApiGroup.TRANSACTIONS,
    JobKind.RESERVATIONS: ApiGroup.RESERVATIONS,
}

STATUS_KINDS = frozenset({JobKind.CONNECTOR_STATUS, JobKind.CHARGER_STATUS})
# Jobs added on demand (a session, an enabled entity), kept while their charger is.
OPTIONAL_KINDS = frozenset({JobKind.POWER, JobKind.CHARGER_METER, JobKind.RESERVATIONS})

# Period of each kind, as a multiple of the status period T.
PERIOD_FACTOR: dict[JobKind, float] = {
    JobKind.CONNECTOR_STATUS: 1.0,
    JobKind.CHARGER_STATUS: 1.0,
    JobKind.CONNECTIVITY: 3.0,
    JobKind.POWER: 2.0,
    JobKind.ENERGY: 2.0,
    JobKind.CHARGER_METER: 4.0,
    # Only while a "Next reservation" sensor is enabled; actions refresh it at once.
    JobKind.RESERVATIONS: 20.0,
}


@dataclass(frozen=True, slots=True, order=True)
class Job:
    """One request the planner can ask for."""

    kind: JobKind
    charger_id: str = ""
    connector_id: int = 0
    detail: str = ""


type _Entry = tuple[float, int, Job]


@dataclass(slots=True)
class _Schedule:
    due: float
    period_factor: float
    ran_at: float = float("-inf")


@dataclass
class PollPlanner:
    """Decides which request of one fleet is due next."""

    clock: Callable[[], float]
    _jobs: dict[Job, _Schedule] = field(default_factory=dict)
    _active: set[Job] = field(default_factory=set)
    _status_period: float = MIN_STATUS_PERIOD
    # Four queues, by urgency: hinted jobs (follow-ups after a command, a
    # session the transactions read saw start), the transactions read on its
    # minute, then status jobs and the other jobs, each by its planned share.
    _heaps: tuple[list[_Entry], list[_Entry], list[_Entry], list[_Entry]] = field(
        default_factory=lambda: ([], [], [], [])
    )
    _counter: itertools.count[int] = field(default_factory=itertools.count)
    _other_credit: float = 0.0

    # Fleet shape -----------------------------------------------------------

    def set_fleet(self, connectors: Iterable[tuple[str, int]]) -> None:
        """Declare the fleet's chargers and connectors; keeps existing due times."""
        wanted: dict[Job, float] = {Job(JobKind.TRANSACTIONS): 0.0}
        for charger_id, connector_id in connectors:
            wanted[Job(JobKind.CONNECTOR_STATUS, charger_id, connector_id)] = 1.0
            wanted[Job(JobKind.ENERGY, charger_id, connector_id)] = 0.0  # one-shot
            wanted[Job(JobKind.STATISTICS, charger_id, connector_id)] = 0.0  # plans its next
            wanted[Job(JobKind.CHARGER_STATUS, charger_id)] = 1.0
            wanted[Job(JobKind.CONNECTIVITY, charger_id)] = 3.0
        now = self.clock()
        chargers = {job.charger_id for job in wanted}
        for job in list(self._jobs):
            if job in wanted or job.kind is JobKind.PROBE:
                continue
            if job.kind in OPTIONAL_KINDS and job.charger_id in chargers:
                continue
            del self._jobs[job]
            self._active.discard(job)
        for job, factor in wanted.items():
            if job not in self._jobs:
                self._jobs[job] = _Schedule(due=now, period_factor=factor)
                self._push(job, now)

    def set_active(self, charger_id: str, connector_id: int, active: bool) -> None:
        """Poll power and energy of a connector while it has a session."""
        power = Job(JobKind.POWER, charger_id, connector_id)
        energy = Job(JobKind.ENERGY, charger_id, connector_id)
        if energy not in self._jobs:
            return
        now = self.clock()
        if active and power not in self._active:
            self._active.update((power, energy))
            self._jobs[power] = _Schedule(due=now, period_factor=PERIOD_FACTOR[JobKind.POWER])
            # The first power reading of a session is what a user waits for.
            self._push(power, now, hinted=True)
            self._jobs[energy].period_factor = PERIOD_FACTOR[JobKind.ENERGY]
            self.mark_due(energy, 0.0)
        elif not active and power in self._active:
            self._active.difference_update((power, energy))
            self._jobs.pop(power, None)
            # Read the register once more so the session's last energy is kept,
            # once the meter's final sample can exist (samples lag the status).
            self._jobs[energy].period_factor = 0.0
            self.reschedule(energy, METER_SAMPLE_LAG)

    def set_wanted(self, job: Job, wanted: bool) -> None:
        """Poll an optional reading (an enabled diagnostic entity) or stop it."""
        if wanted and job not in self._jobs:
            now = self.clock()
            self._jobs[job] = _Schedule(due=now, period_factor=PERIOD_FACTOR[job.kind])
            self._push(job, now)
        elif not wanted:
            self._jobs.pop(job, None)

    def add_probe(self, job: Job, delay: float) -> None:
        """Retry a switched-off feature once after ``delay`` seconds."""
        self._jobs[job] = _Schedule(due=self.clock() + delay, period_factor=0.0)
        self._push(job, self._jobs[job].due)

    def remove_kind(self, kind: JobKind) -> None:
        """Stop every job of a kind (its API package is not subscribed)."""
        for job in [job for job in self._jobs if job.kind is kind]:
            del self._jobs[job]
            self._active.discard(job)

    # Pace --------------------------------------------------------------------

    @property
    def periodic_cost(self) -> float:
        """Requests one status period costs for the jobs paced by T, slower ones amortised."""
        return sum(
            1.0 / schedule.period_factor
            for job, schedule in self._jobs.items()
            if job.kind is not JobKind.TRANSACTIONS and schedule.period_factor > 0
        )

    @property
    def fixed_rate(self) -> float:
        """Requests per second of the jobs on a fixed period (transactions, hourly statistics)."""
        rate = 1.0 / TRANSACTIONS_PERIOD if Job(JobKind.TRANSACTIONS) in self._jobs else 0.0
        return rate + sum(j.kind is JobKind.STATISTICS for j in self._jobs) / STATISTICS_PERIOD

    @property
    def sweep_cost(self) -> float:
        """Requests one status period costs, every job included (K)."""
        return self.periodic_cost + self.fixed_rate * self._status_period

    @property
    def status_period(self) -> float:
        """Current status period T in seconds."""
        return self._status_period

    def set_status_period(self, period: float) -> None:
        """Set T (the host scheduler derives it from the budget)."""
        self._status_period = max(period, MIN_STATUS_PERIOD)

    # Picking -----------------------------------------------------------------

    def mark_due(self, job: Job, delay: float) -> None:
        """Ask for a job ``delay`` seconds from now (a follow-up or a hint)."""
        if (schedule := self._jobs.get(job)) is None:
            return
        now = self.clock()
        if schedule.due > now:
            schedule.due = min(schedule.due, now + delay)  # only ever sooner
        elif delay > 0:
            schedule.due = now + delay  # due (or running): read again after the delay
        # else: already due; it just moves to the front queue.
        self._push(job, schedule.due, hinted=True)

    def follow_up(self, charger_id: str, connector_id: int | None) -> None:
        """Re-read a connector (or a charger) a few seconds after a command."""
        if connector_id is None:
            self.mark_due(Job(JobKind.CHARGER_STATUS, charger_id), FOLLOW_UP_DELAYS[0])
            self.mark_due(Job(JobKind.CONNECTIVITY, charger_id), FOLLOW_UP_DELAYS[1])
            return
        job = Job(JobKind.CONNECTOR_STATUS, charger_id, connector_id)
        # The first follow-up is a due time; the second rides on the next period.
        self.mark_due(job, FOLLOW_UP_DELAYS[0])

    def next_due_in(self) -> float | None:
        """Seconds until the earliest job is due (0 when overdue)."""
        dues = [self._jobs[job].due for heap in self._heaps if (job := self._peek(heap))]
        if not dues:
            return None
        return max(0.0, min(dues) - self.clock())

    def pop_due(self) -> Job | None:
        """Take the next job: a due hinted one first, then the transactions read, else by share.

        Status jobs and the other jobs (meters, connectivity) each get the share
        of ticks the plan gives them, so a backlog of meter reads (after start-up,
        or many sessions at once) never stretches the status period, and the
        other jobs still get their turn. Within each share a job that never ran
        goes first: reading what was never read beats reading again what is
        shown already. Call once per tick.
        """
        now = self.clock()
        hinted, timed, status, other = (self._peek(heap) for heap in self._heaps)
        for index, first in enumerate((hinted, timed)):
            if first is not None and self._jobs[first].due <= now:
                return heapq.heappop(self._heaps[index])[2]
        status_due = status is not None and self._jobs[status].due <= now
        other_due = other is not None and self._jobs[other].due <= now
        self._other_credit = min(self._other_credit + 1.0 - self.status_share, MAX_OTHER_CREDIT)
        if other_due and (not status_due or self._other_credit >= 1.0):
            self._other_credit = max(self._other_credit - 1.0, 0.0)
            return self._unread(now, status=False) or heapq.heappop(self._heaps[3])[2]
        if status_due:
            return self._unread(now, status=True) or heapq.heappop(self._heaps[2])[2]
        return None

    def _unread(self, now: float, *, status: bool) -> Job | None:
        """A due job of the share that never ran (its heap entry goes stale when it is done)."""
        never = [
            job
            for job, schedule in self._jobs.items()
            if schedule.ran_at == float("-inf")
            and schedule.due <= now
            and (job.kind in STATUS_KINDS) is status
            and job.kind not in (JobKind.PROBE, JobKind.TRANSACTIONS)
        ]
        return min(never) if never else None

    @property
    def status_share(self) -> float:
        """Share of the planned requests that are status reads."""
        total = self.sweep_cost
        if not total:
            return 1.0
        status = sum(1 for job in self._jobs if job.kind in STATUS_KINDS)
        return min(status / total, 1.0)

    def done(self, job: Job, *, ok: bool = True) -> None:
        """Reschedule a job after it ran; ``ok`` is False when its request failed."""
        schedule = self._jobs.get(job)
        if schedule is None:
            return
        schedule.ran_at = self.clock()
        if job.kind is JobKind.TRANSACTIONS:
            period = TRANSACTIONS_PERIOD
        elif schedule.period_factor <= 0 and not ok:
            # A failed one-shot read (the last energy of a session) is tried again
            # until it succeeds.
            self.reschedule(job, ONE_SHOT_RETRY)
            return
        elif schedule.period_factor <= 0:
            # One-shot jobs (probes, an idle connector's energy) wait for a hint;
            # a probe refused again, or an hourly read, was planned anew while it ran.
            if job.kind in (JobKind.PROBE, JobKind.STATISTICS) and schedule.due > schedule.ran_at:
                return
            if job.kind is JobKind.PROBE:
                del self._jobs[job]
            schedule.due = float("inf")
            return
        else:
            period = schedule.period_factor * self._status_period
        now = self.clock()
        if schedule.due > now:
            # A hint given while the job ran (mark_due) stays, if it is sooner.
            schedule.due = min(schedule.due, now + period)
        else:
            # Keep to the job's own rhythm (a late run does not push every later
            # one back), but never schedule into the past.
            schedule.due = max(schedule.due + period, now + period / 2)
        self._push(job, schedule.due)

    # Inspection (diagnostics, the benchmark and tests) --------------------------

    @property
    def jobs(self) -> frozenset[Job]:
        """Every job planned now."""
        return frozenset(self._jobs)

    def due_in(self, job: Job) -> float | None:
        """Seconds until a job is due (0 when overdue, inf while it waits for a hint).

        None: the job is not planned.
        """
        if (schedule := self._jobs.get(job)) is None:
            return None
        return max(0.0, schedule.due - self.clock())

    def period_factor(self, job: Job) -> float | None:
        """A job's period as a multiple of T (0: one-shot; None: not planned)."""
        schedule = self._jobs.get(job)
        return None if schedule is None else schedule.period_factor

    def all_ran_since(self, moment: float) -> bool:
        """Whether every planned job has run since ``moment``.

        One-shot jobs waiting for a hint (an idle connector's energy) count once
        they ran at all; a probe of a switched-off feature only once it is due.
        """
        return all(
            schedule.ran_at >= moment
            or (schedule.due == float("inf") and schedule.ran_at > 0)
            or (job.kind is JobKind.PROBE and schedule.due > moment)
            for job, schedule in self._jobs.items()
        )

    def reschedule(self, job: Job, delay: float) -> None:
        """Set a job's next run ``delay`` seconds from now, sooner or later than planned."""
        if (schedule := self._jobs.get(job)) is None:
            return
        schedule.due = self.clock() + delay
        self._push(job, schedule.due)

    def _push(self, job: Job, due: float, *, hinted: bool = False) -> None:
        if hinted:
            heap = self._heaps[0]
        elif job.kind is JobKind.TRANSACTIONS:
            heap = self._heaps[1]  # keeps its minute: next after hints
        else:
            heap = self._heaps[2 if job.kind in STATUS_KINDS else 3]
        heapq.heappush(heap, (due, next(self._counter), job))

    def _peek(self, heap: list[_Entry]) -> Job | None:
        while heap:
            due, _, job = heap[0]
            schedule = self._jobs.get(job)
            if schedule is None or schedule.due != due:
                heapq.heappop(heap)  # stale entry
                continue
            return job
        return None
