"""Build a fresh depot: chargers, groups, tags, prices, past transactions and samples."""

from __future__ import annotations

from dataclasses import dataclass
import math
import random
from typing import TYPE_CHECKING
import uuid

from .model import (
    NO_ERROR,
    Charger,
    ChargerGroup,
    ChargerSample,
    Connector,
    ConnectorSample,
    PriceBlock,
    Transaction,
)
from .series import make_sample
from .state import DepotState
from .timefmt import format_ts

if TYPE_CHECKING:
    from .config import SimulatorConfig

DAY = 86_400.0
HISTORY_RESULTS = ("Completed",) * 8 + ("StoppedRemotely", "EVDisconnected")
SITE_ID = "site-1"


def charger_ids(count: int) -> list[str]:
    """Return ``CH-01`` ... (three digits when there are more than 99 chargers)."""
    width = 3 if count > 99 else 2
    return [f"CH-{n:0{width}d}" for n in range(1, count + 1)]


def group_id(seed: int, index: int) -> str:
    """Return the deterministic GUID of charger group ``index`` (1-based)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"depotfinity-simulator/{seed}/group/{index}"))


def default_prices(start: float) -> list[PriceBlock]:
    """Return 24 hourly price blocks starting at midnight UTC of ``start``'s day."""
    midnight = start - start % DAY
    return [
        PriceBlock(
            start=format_ts(midnight + hour * 3600),
            duration=60,
            price=round(0.22 + 0.1 * math.sin((hour - 6) * math.pi / 12), 4),
        )
        for hour in range(24)
    ]


@dataclass(slots=True)
class _PastSession:
    conn: Connector
    charger_id: str
    start: float
    end: float
    energy_wh: float
    initial_soc: float
    end_soc: float
    result: str
    vehicle_id: str
    id_tag: str
    meter_start_wh: float = 0.0


def _past_sessions(
    cfg: SimulatorConfig, rng: random.Random, conn: Connector, charger_id: str, start: float
) -> list[_PastSession]:
    sessions: list[_PastSession] = []
    tags = [f"{rng.getrandbits(32):08X}" for _ in range(2)]
    for day in range(cfg.history_days, 0, -1):
        cursor = start - day * DAY + rng.uniform(0, 4 * 3600)
        day_end = min(start - (day - 1) * DAY, start) - 900
        for _ in range(rng.randint(1, 3)):
            begin = cursor + rng.uniform(600, 3 * 3600)
            duration = rng.uniform(1800, 3 * 3600)
            if begin + duration > day_end:
                break
            power = rng.uniform(0.3, 0.9) * cfg.max_power_w / cfg.connectors
            energy = power * duration / 3600
            initial = round(rng.uniform(10, 45), 1)
            sessions.append(
                _PastSession(
                    conn=conn,
                    charger_id=charger_id,
                    start=round(begin),
                    end=round(begin + duration),
                    energy_wh=energy,
                    initial_soc=initial,
                    end_soc=round(min(100.0, initial + energy / 4000), 1),
                    result=rng.choice(HISTORY_RESULTS),
                    vehicle_id=f"BUS-{rng.randint(100, 999)}",
                    id_tag=rng.choice(tags),
                )
            )
            cursor = begin + duration
    return sessions


def _sample_at(
    state: DepotState, sessions: list[_PastSession], base_wh: float, when: float
) -> ConnectorSample:
    """Meter values of one connector at ``when`` from its past sessions."""
    energy = base_wh
    power = 0.0
    soc: float | None = None
    for past in sessions:
        if past.end <= when:
            energy = past.meter_start_wh + past.energy_wh
        elif past.start <= when:
            fraction = (when - past.start) / (past.end - past.start)
            energy = past.meter_start_wh + past.energy_wh * fraction
            power = past.energy_wh * 3600 / (past.end - past.start)
            soc = past.initial_soc + (past.end_soc - past.initial_soc) * fraction
            break
        else:
            break
    cfg = state.config
    return make_sample(
        state.next_jitter(),
        power_w=power,
        offered_w=cfg.max_power_w / cfg.connectors if power else 0.0,
        energy_wh=energy,
        max_power_w=cfg.max_power_w,
        soc=soc,
        alarm=NO_ERROR,
    )


def build_state(cfg: SimulatorConfig, start: float) -> DepotState:
    """Create the depot as it is at virtual time ``start``."""
    history_rng = random.Random(f"{cfg.seed}/history")  # noqa: S311
    ids = charger_ids(cfg.chargers)
    groups: dict[str, ChargerGroup] = {}
    for index in range(1, cfg.groups + 1):
        gid = group_id(cfg.seed, index)
        groups[gid] = ChargerGroup(group_id=gid, name=f"Depot group {index}", charger_ids=[])
    group_list = list(groups.values())
    chargers: dict[str, Charger] = {}
    for position, cid in enumerate(ids):
        connectors = {
            n: Connector(
                connector_id=n,
                energy_wh=round(history_rng.uniform(500_000, 5_000_000), 1),
                state_since=start,
                reported_since=start,
            )
            for n in range(1, cfg.connectors + 1)
        }
        charger = Charger(
            charger_id=cid,
            connectors=connectors,
            hpc=position == 0,
            connectivity_since=start,
            reported_since=start,
        )
        if group_list:
            group = group_list[position * len(group_list) // len(ids)]
            group.charger_ids.append(cid)
            charger.group_id = group.group_id
        chargers[cid] = charger
    rng = random.Random(cfg.seed)  # noqa: S311
    state = DepotState(
        config=cfg,
        chargers=chargers,
        groups=groups,
        sites={SITE_ID: default_prices(start)},
        rfid={f"{rng.getrandbits(32):08X}": True for _ in range(cfg.rfid_tags)},
        rng=rng,
        start=start,
        last_update=start,
        next_sample=start + cfg.sample_interval,
    )
    _seed_history(state, history_rng, start)
    return state


def _seed_window(cfg: SimulatorConfig, start: float) -> float:
    """Return how far back samples are seeded: 24 hours, or (documented-only) back to the
    start of the previous calendar day (UTC), which the default time-series window covers.
    """
    if cfg.documented_only:
        return DAY + start % DAY
    return min(cfg.series_retention, DAY)


def _seed_history(state: DepotState, rng: random.Random, start: float) -> None:
    cfg = state.config
    seed_window = _seed_window(cfg, start)
    per_connector: list[tuple[Connector, float, list[_PastSession]]] = []
    everything: list[_PastSession] = []
    for charger in state.chargers.values():
        for conn in charger.connectors.values():
            sessions = _past_sessions(cfg, rng, conn, charger.charger_id, start)
            base = conn.energy_wh
            register = base
            for past in sessions:
                past.meter_start_wh = register
                register += past.energy_wh
            conn.energy_wh = register
            cutoff = start - max(seed_window, DAY) - cfg.sample_interval
            recent = [p for p in sessions if p.end > cutoff]
            base = recent[0].meter_start_wh if recent else register
            per_connector.append((conn, base, recent))
            everything.extend(sessions)
    everything.sort(key=lambda p: (p.start, p.charger_id, p.conn.connector_id))
    for past in everything:
        transaction = Transaction(
            transaction_id=state.next_transaction_id,
            charger_id=past.charger_id,
            connector_id=past.conn.connector_id,
            start=past.start,
            initial_soc=past.initial_soc,
            vehicle_id=past.vehicle_id,
            id_tag=past.id_tag,
            meter_start_wh=past.meter_start_wh,
            energy_wh=past.energy_wh,
            end=past.end,
            end_soc=past.end_soc,
            end_result=past.result,
            max_power_w=past.energy_wh * 3600 / (past.end - past.start),
        )
        state.next_transaction_id += 1
        state.add_transaction(transaction)
    lookup = {id(conn): (base, sessions) for conn, base, sessions in per_connector}
    count = int(seed_window // cfg.sample_interval)
    for charger in state.chargers.values():
        for k in range(count, -1, -1):
            when = start - k * cfg.sample_interval
            parts = tuple(
                _sample_at(state, lookup[id(conn)][1], lookup[id(conn)][0], when)
                for conn in charger.connectors.values()
            )
            charger.samples.append(ChargerSample(time=when, connectors=parts, alarm=NO_ERROR))
