"""Request budget planning for DepotFinity polling.

The service allows 100 requests per 5 minutes per client IP. Every config
entry that talks to the same API host shares that budget, so one
host scheduler (``budget.py``) hands each entry's coordinator its pace, and a
:class:`PollPlanner` per entry decides which request is due next.

The planner knows nothing about Home Assistant: it works on plain job keys
and seconds, so the benchmark can drive it with a virtual clock.

What each job reads and how often is in ``jobs.py``. The status period T
follows from the fleet: T = K0 / (R - F - H), where K0 is the number of
requests one sweep costs (amortised over the slower jobs), R the poll rate the
budget allows after keeping a reserve for commands, F the rate of the
fixed-period reads (transactions; each connector's statistics once an hour) and
H the rate hinted reads took lately.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
import heapq
import itertools
import math

from .jobs import (
    OPTIONAL_KINDS,
    PERIOD_FACTOR,
    PLANNED_KINDS,
    REPLANNING_KINDS,
    RESTARTED_KINDS,
    STATUS_KINDS,
    Job,
    JobKind,
)
from .pace import (
    TRANSACTIONS_PERIOD,
    PlanCosts,
    Schedule,
)

# Requests kept unused below the poll budget, so clock skew between us and the
# service never turns into a 429.
POLL_MARGIN = 2
FOLLOW_UP_DELAYS = (3.0, 10.0)
# [INFERRED] How long a meter sample may lag the connector status (the simulator
# samples once a minute).
METER_SAMPLE_LAG = 60.0
# A failed one-shot read is tried again after this long.
ONE_SHOT_RETRY = 30.0
# Status ticks the status reads may catch up on after hinted reads took theirs.
MAX_STATUS_CREDIT = 3.0
TRANSACTIONS_JOB = Job(JobKind.TRANSACTIONS)


type _Entry = tuple[float, int, Job]


@dataclass
class PollPlanner(PlanCosts):
    """Decides which request of one fleet is due next."""

    _active: set[Job] = field(default_factory=set)
    # Hinted jobs (follow-ups after a command, a session the transactions read
    # saw start), by due time: they go first, after the minute's transactions read.
    _hinted: list[_Entry] = field(default_factory=list)
    _counter: itertools.count[int] = field(default_factory=itertools.count)
    _status_credit: float = 0.0
    # When each job last ran before a restart (or a reload), for jobs planned later.
    _ran_before: dict[Job, float] = field(default_factory=dict)
    # Optional readings an entity shows, and kinds whose API is switched off now.
    _wanted: set[Job] = field(default_factory=set)
    _off: set[JobKind] = field(default_factory=set)

    # Fleet shape -----------------------------------------------------------

    def set_fleet(self, connectors: Iterable[tuple[str, int]]) -> None:
        """Declare the fleet's chargers and connectors; keeps existing due times."""
        wanted: dict[Job, float] = {Job(JobKind.TRANSACTIONS): 0.0}
        for charger_id, connector_id in connectors:
            wanted[Job(JobKind.CONNECTOR_STATUS, charger_id, connector_id)] = 1.0
            wanted[Job(JobKind.STATISTICS, charger_id, connector_id)] = 0.0  # plans its next
            wanted[Job(JobKind.CHARGER_STATUS, charger_id)] = 1.0
            wanted[Job(JobKind.CONNECTIVITY, charger_id)] = 3.0
        now = self.clock()
        chargers = {job.charger_id for job in wanted}
        self._ran_before = {j: t for j, t in self._ran_before.items() if j.charger_id in chargers}
        for job in list(self._jobs):
            if job in wanted or job.kind is JobKind.PROBE:
                continue
            if job.kind in OPTIONAL_KINDS and job.charger_id in chargers:
                continue
            del self._jobs[job]
            self._active.discard(job)
        for job, factor in wanted.items():
            if job not in self._jobs:
                self._plan(job, factor, now)
        # Every API is on again until told otherwise (remove_kind): the readings
        # entities show come back with it.
        self._off.clear()
        for job in self._wanted:
            if job.charger_id in chargers:
                self.set_wanted(job, wanted=True)

    def _plan(self, job: Job, factor: float, now: float) -> None:
        """Plan a new job: at once, or on its rhythm if it ran before a restart."""
        schedule = self._jobs[job] = Schedule(due=now, period_factor=factor)
        if (ran_at := self._ran_before.pop(job, None)) is not None:
            schedule.ran_at = min(ran_at, now)
            if job.kind is JobKind.TRANSACTIONS:
                schedule.due = max(schedule.ran_at + TRANSACTIONS_PERIOD, now)
            elif factor > 0:
                schedule.due = max(schedule.ran_at + factor * self._status_period, now)
            else:
                schedule.due = math.inf  # a one-shot read whose value was kept

    def restore_runs(self, runs: Mapping[str, object]) -> None:
        """Take back when each job last ran (saved before a restart, as wall-clock seconds).

        A job that ran before the restart keeps its rhythm instead of being read
        again at once: the values read then are shown (restored) until it runs,
        and the first requests go to what is oldest or was never read.
        """
        now = self.clock()
        for key, ran_at in runs.items():
            job = Job.from_key(key)
            if job is None or not isinstance(ran_at, int | float) or job.kind in RESTARTED_KINDS:
                continue
            self._ran_before[job] = float(ran_at)
            if (schedule := self._jobs.get(job)) is not None:
                del self._jobs[job]
                self._plan(job, schedule.period_factor, now)

    def export_runs(self) -> dict[str, float]:
        """When each job last ran, to be taken back after a restart (see :meth:`restore_runs`)."""
        runs = {job.key: ran_at for job, ran_at in self._ran_before.items()}
        for job, schedule in self._jobs.items():
            if math.isfinite(schedule.ran_at) and job.kind not in RESTARTED_KINDS:
                runs[job.key] = schedule.ran_at
        return runs

    def set_active(self, charger_id: str, connector_id: int, active: bool) -> None:
        """Poll power (and the energy register, where shown) of a connector in a session."""
        power = Job(JobKind.POWER, charger_id, connector_id)
        energy = self._jobs.get(Job(JobKind.ENERGY, charger_id, connector_id))
        known = Job(JobKind.CONNECTOR_STATUS, charger_id, connector_id) in self._jobs
        if not known or JobKind.POWER in self._off:
            return
        now = self.clock()
        if active and power not in self._active:
            self._active.add(power)
            self._plan(power, PERIOD_FACTOR[JobKind.POWER], now)
            if self._jobs[power].ran_at == -math.inf:
                # The first power reading of a session is what a user waits for (after
                # a restart the one shown before it stands, and keeps its rhythm).
                self._push_hint(power, now)
            if energy is not None:
                energy.period_factor = PERIOD_FACTOR[JobKind.ENERGY]
                self.mark_due(Job(JobKind.ENERGY, charger_id, connector_id), 0.0)
        elif not active and power in self._active:
            self._active.discard(power)
            self._jobs.pop(power, None)
            if energy is not None:
                # Read the register once more so the session's last energy is kept,
                # once the meter's final sample can exist (samples lag the status).
                energy.period_factor = 0.0
                self.reschedule(Job(JobKind.ENERGY, charger_id, connector_id), METER_SAMPLE_LAG)

    def set_wanted(self, job: Job, wanted: bool) -> None:
        """Poll an optional reading (an entity shows it) or stop it.

        A connector's energy register is read once while the connector is idle
        (it cannot change), and with the session's power while it charges.
        """
        if not wanted:
            self._wanted.discard(job)
            self._jobs.pop(job, None)
            return
        self._wanted.add(job)
        if job not in self._jobs and job.kind not in self._off:
            factor = PERIOD_FACTOR[job.kind]
            if job.kind is JobKind.ENERGY:
                power = Job(JobKind.POWER, job.charger_id, job.connector_id)
                factor = factor if power in self._active else 0.0
            self._plan(job, factor, self.clock())

    def add_probe(self, job: Job, delay: float) -> None:
        """Retry a switched-off feature once after ``delay`` seconds."""
        self._jobs[job] = Schedule(due=self.clock() + delay, period_factor=0.0)

    def remove_kind(self, kind: JobKind) -> None:
        """Stop every job of a kind (its API package is not subscribed)."""
        self._off.add(kind)
        for job in [job for job in self._jobs if job.kind is kind]:
            del self._jobs[job]
            self._active.discard(job)

    # Picking -----------------------------------------------------------------

    def mark_due(self, job: Job, delay: float) -> None:
        """Ask for a job ``delay`` seconds from now (a follow-up or a hint)."""
        if (schedule := self._jobs.get(job)) is None:
            return
        now = self.clock()
        schedule.hinted_at = now
        if schedule.due > now:
            schedule.due = min(schedule.due, now + delay)  # only ever sooner
        elif delay > 0:
            schedule.due = now + delay  # due (or running): read again after the delay
        # else: already due; it just moves to the front queue.
        self._push_hint(job, schedule.due)

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
        due = min((schedule.due for schedule in self._jobs.values()), default=None)
        return None if due is None else max(0.0, due - self.clock())

    def pop_due(self) -> Job | None:
        """Take the next job: the transactions read when due, then a hinted one, else by share.

        Status reads keep their share of all ticks (hinted and transactions
        reads included) whatever else is due: when a hint takes a status tick,
        the status reads catch up on the next ones and the other jobs (meters,
        connectivity) wait instead, so each status is read once per T. A tick
        the status reads do not need goes to the due other job read longest ago
        (one that never ran before all): reading what was never read beats
        reading again what is shown already. Call once per tick.
        """
        now = self.clock()
        self._status_credit = min(self._status_credit + self.status_share, MAX_STATUS_CREDIT)
        transactions = self._jobs.get(TRANSACTIONS_JOB)
        if transactions is not None and transactions.due <= now:
            # It keeps its minute even when ticks are few (the window after a
            # burst) or many hints wait (the sessions seen after a restart): one
            # tick a minute, and it reveals every session that started or ended.
            return TRANSACTIONS_JOB
        if (hinted := self._peek_hinted()) is not None and self._jobs[hinted].due <= now:
            heapq.heappop(self._hinted)
            self._hinted_runs.append(now)
            return hinted
        status, other = self._oldest(now)
        # ... but an other job waits one status period at most.
        if other is not None and (
            self._status_credit < 1.0 or self._jobs[other].due + self._status_period <= now
        ):
            return other
        # Round robin: the status read longest ago, a little early when none is due
        # (the budget paid for this tick).
        if (status := status or self._oldest(math.inf)[0]) is None:
            return other
        self._status_credit = max(self._status_credit - 1.0, 0.0)
        return status

    def hint_due(self) -> bool:
        """Whether a hinted read is due (the tick after it should not wait for the pace)."""
        hinted = self._peek_hinted()
        return hinted is not None and self._jobs[hinted].due <= self.clock()

    def has_unread_due(self) -> bool:
        """Whether a due job never ran (the first sweep is not over)."""
        return self.next_unread() is not None

    def next_unread(self) -> Job | None:
        """A due job that never ran (status reads first): what the first sweep's burst sends."""
        now = self.clock()
        never = [
            (job.kind not in STATUS_KINDS, job)
            for job, schedule in self._jobs.items()
            if schedule.ran_at == -math.inf and schedule.due <= now and job.kind in PLANNED_KINDS
        ]
        return min(never)[1] if never else None

    def _oldest(self, now: float) -> tuple[Job | None, Job | None]:
        """The due status job and the due other job that ran longest ago (never: first).

        Oldest first, not earliest due: T follows the budget, so jobs read under
        different periods still run in the order they were read in.
        """
        oldest: dict[bool, tuple[float, Job]] = {}
        for job, schedule in self._jobs.items():
            if schedule.due > now or job.kind is JobKind.TRANSACTIONS:
                continue
            share = job.kind in STATUS_KINDS
            if (best := oldest.get(share)) is None or (schedule.ran_at, job) < best:
                oldest[share] = (schedule.ran_at, job)
        status, other = (oldest.get(share) for share in (True, False))
        return (status and status[1]), (other and other[1])

    def done(self, job: Job, *, ok: bool = True) -> None:
        """Reschedule a job after it ran; ``ok`` is False when its request failed."""
        schedule = self._jobs.get(job)
        if schedule is None:
            return
        previous, schedule.ran_at = schedule.ran_at, self.clock()
        if job.kind is JobKind.TRANSACTIONS:
            period = TRANSACTIONS_PERIOD
        elif schedule.period_factor <= 0 and not ok:
            # A failed one-shot read (the last energy of a session) is tried again
            # until it succeeds.
            self.reschedule(job, ONE_SHOT_RETRY)
            return
        elif schedule.period_factor <= 0:
            # One-shot jobs (probes, an idle connector's energy) wait for a hint, unless
            # planned anew while they ran (a probe refused again; prices, for a block's
            # end; an hourly statistics read).
            if job.kind in REPLANNING_KINDS and schedule.due > schedule.ran_at:
                return
            if job.kind is JobKind.PROBE:
                del self._jobs[job]
            schedule.due = math.inf
            return
        else:
            period = schedule.period_factor * self._status_period
        now = self.clock()
        if schedule.due > now and schedule.hinted_at > previous:
            # A hint given since the last read (while it ran, or a follow-up still
            # to come) stays, if it is sooner. A read taken early (a spare tick)
            # is no hint: it plans the next one period on, not its old due time.
            schedule.due = min(schedule.due, now + period)
        elif job.kind is JobKind.TRANSACTIONS:
            # The fleet-wide read keeps its minute, never scheduled into the past.
            schedule.due = max(schedule.due + period, now + period / 2)
        else:
            # Read again one period after this read: a late or an extra (hinted)
            # read moves the job's rhythm, instead of leaving a backlog that a
            # budget spent to the last request could never catch up with.
            schedule.due = now + period

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
            or (schedule.due == math.inf and schedule.ran_at > 0)
            or (job.kind is JobKind.PROBE and schedule.due > moment)
            for job, schedule in self._jobs.items()
        )

    def reschedule(self, job: Job, delay: float) -> None:
        """Set a job's next run ``delay`` seconds from now, sooner or later than planned."""
        if (schedule := self._jobs.get(job)) is None:
            return
        schedule.due = self.clock() + delay

    def _push_hint(self, job: Job, due: float) -> None:
        # Only hints need a queue; the other jobs are found by their due times.
        heapq.heappush(self._hinted, (due, next(self._counter), job))

    def _peek_hinted(self) -> Job | None:
        while self._hinted:
            due, _, job = self._hinted[0]
            schedule = self._jobs.get(job)
            if schedule is None or schedule.due != due:
                heapq.heappop(self._hinted)  # stale entry
                continue
            return job
        return None
