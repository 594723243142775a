"""The polling jobs: what the planner can ask for, and how often.

A job is one request of one kind for one charger, connector or reading. Its
period is a multiple of the status period T (see ``scheduler.py``); a period of
0 makes it one-shot (it runs again only when a hint asks for it).

Cadence, cheapest first to most frequent:
- connector status and charger availability: every T;
- charger connectivity: every 3 T;
- power of connectors in a session, and their energy register where an enabled
  entity shows it: every 2 T (an idle connector's register: once);
- a fleet-wide transactions query (session starts/ends, last sessions): every
  60 s, whatever T (it goes first when due).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .api import ApiGroup


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
    PRICES = "prices"
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
    JobKind.PRICES: ApiGroup.VPP,
}

STATUS_KINDS = frozenset({JobKind.CONNECTOR_STATUS, JobKind.CHARGER_STATUS})
# Jobs added on demand (a session, an enabled entity, a site), kept while their charger is.
OPTIONAL_KINDS = frozenset(
    {JobKind.POWER, JobKind.ENERGY, JobKind.CHARGER_METER, JobKind.RESERVATIONS, JobKind.PRICES}
)

# Jobs the plan paces (the burst of a first sweep sends those that never ran).
PLANNED_KINDS = frozenset(JobKind) - {JobKind.TRANSACTIONS, JobKind.PROBE, JobKind.STATISTICS}
# Jobs read anew after a restart: probes of switched-off APIs, prices (the price
# blocks are kept in memory only), and the hourly statistics read (it resumes from
# what the recorder holds).
RESTARTED_KINDS = frozenset({JobKind.PROBE, JobKind.PRICES, JobKind.STATISTICS})
# One-shot jobs that plan their own next run while they run.
REPLANNING_KINDS = frozenset({JobKind.PROBE, JobKind.PRICES, JobKind.STATISTICS})

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
    JobKind.PRICES: 0.0,  # one-shot: each read plans the next, at its price block's end
}


@dataclass(frozen=True, slots=True, order=True)
class Job:
    """One request the planner can ask for."""

    kind: JobKind
    charger_id: str = ""
    connector_id: int = 0
    detail: str = ""

    @property
    def key(self) -> str:
        """The job as text (the saved read times of a restart are keyed by it)."""
        return f"{self.kind}|{self.charger_id}|{self.connector_id}|{self.detail}"

    @classmethod
    def from_key(cls, key: str) -> Job | None:
        """The job a key names; None for a key this version does not know."""
        kind, charger_id, connector_id, detail = [*key.split("|", 3), "", "", ""][:4]
        if kind not in JobKind.__members__.values() or not connector_id.isdigit():
            return None
        return cls(JobKind(kind), charger_id, int(connector_id), detail)
