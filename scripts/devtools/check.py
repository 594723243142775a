"""The verification of ``scripts/develop --check``: sensors with values, then a charge."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
import json
import math
from typing import Any

from .common import DOMAIN, describe_entry, poll_until
from .hass_api import HomeAssistantApi
from .registry import load_depot
from .simulator import Simulator

UNAVAILABLE = ("unavailable", "unknown")
State = dict[str, Any]


def has_value(state: State) -> bool:
    """Whether an entity's state is a value (not unavailable or unknown)."""
    return state["state"] not in UNAVAILABLE


def as_number(value: str | None) -> float:
    """A state as a number (NaN when it is none)."""
    try:
        return float(value if value is not None else "nan")
    except ValueError:
        return math.nan


@dataclass(slots=True)
class Survey:
    """The integration's entities and each simulated charger's sensors, at one moment."""

    ours: set[str]
    by_charger: dict[str, list[State]]
    # The price sites' energy price sensors (shown, not required: a site may have no price now).
    prices: list[State]

    def with_values(self, charger: str) -> list[State]:
        """The sensors of ``charger`` that have a value."""
        return [s for s in self.by_charger[charger] if has_value(s)]

    @property
    def complete(self) -> bool:
        """A value on every charger, and live status data on at least one.

        (The integration polls the chargers in turn, so one status sensor with a
        value is enough.)
        """
        statuses = [
            s
            for found in self.by_charger.values()
            for s in found
            if s["entity_id"].endswith("_status")
        ]
        return (
            bool(self.by_charger)
            and all(self.with_values(charger) for charger in self.by_charger)
            and (not statuses or any(has_value(s) for s in statuses))
        )


async def survey(api: HomeAssistantApi, chargers: list[str]) -> Survey:
    """Look at the integration's entities and group its sensors by charger."""
    depot = await load_depot(api)
    states = {s["entity_id"]: s for s in await api.states()}
    rendered = await api.template(f"{{{{ integration_entities('{DOMAIN}') | list | to_json }}}}")
    ours = set(json.loads(rendered))
    by_charger = {
        charger: [
            states[item["entity_id"]]
            for item in depot.of_charger(charger)
            if item["entity_id"].startswith("sensor.") and item["entity_id"] in states
        ]
        for charger in chargers
    }
    prices = [
        states[item["entity_id"]]
        for item in depot.entities
        if str(item.get("unique_id", "")).endswith("_energy_price") and item["entity_id"] in states
    ]
    return Survey(ours, by_charger, prices)


def print_summary(entries: list[dict[str, Any]], seen: Survey, chargers: list[str]) -> None:
    """Print the config entries, the entity count per platform and a sample of sensors."""
    print()
    print("== develop --check summary")
    for entry in entries:
        print(f"config entry: {describe_entry(entry)}")
    per_domain = Counter(entity_id.split(".", 1)[0] for entity_id in seen.ours)
    print(
        f"depotfinity entities: {len(seen.ours)} ("
        + ", ".join(f"{count} {domain}" for domain, count in sorted(per_domain.items()))
        + ")"
    )
    for charger, found in seen.by_charger.items():
        print(f"{charger}: {len(found)} sensors, {len(seen.with_values(charger))} with a value")
    first = seen.by_charger.get(chargers[0], []) if chargers else []
    sample = sorted(
        first,
        key=lambda s: (
            not has_value(s),
            not s["entity_id"].endswith(("_status", "_availability", "_power")),
            s["entity_id"],
        ),
    )
    for state in sample[:8] + seen.prices:
        unit = state["attributes"].get("unit_of_measurement") or ""
        print(f"  {state['entity_id']} = {state['state']} {unit}".rstrip())
    print(f"result: {'OK' if seen.complete else 'FAILED'}")


async def check(api: HomeAssistantApi, sim: Simulator, within: float) -> bool:
    """Wait until every simulated charger has sensors with values; print a summary."""

    async def probe() -> tuple[bool, Survey]:
        api.check_alive()
        seen = await survey(api, sim.chargers)
        return seen.complete, seen

    complete, seen = await poll_until(probe, within, 2)
    print_summary(await api.entries(DOMAIN), seen, sim.chargers)
    return complete


@dataclass(frozen=True, slots=True)
class ChargeTarget:
    """A connector's Charging switch and the sensors that show a session."""

    switch: str
    status: str
    power: str

    @classmethod
    async def first_free(cls, api: HomeAssistantApi, sim: Simulator) -> ChargeTarget:
        """Connector 2 of the first charger (the simulator leaves it free at start)."""
        depot = await load_depot(api)
        charger = sim.chargers[0]
        return cls(
            depot.entity_id("switch", charger, 2, "charging"),
            depot.entity_id("sensor", charger, 2, "status"),
            depot.entity_id("sensor", charger, 2, "power"),
        )

    async def wait_charging(self, api: HomeAssistantApi, within: float) -> tuple[bool, str]:
        """Wait until the status is Charging with power > 0; whether it is, and what was seen."""

        async def charging() -> tuple[bool, dict[str, str]]:
            states = {s["entity_id"]: s["state"] for s in await api.states()}
            power = as_number(states.get(self.power))
            return states.get(self.status) == "charging" and power > 0, states

        done, states = await poll_until(charging, within, 2)
        seen = f"{self.status} = {states.get(self.status)}, {self.power} = {states.get(self.power)}"
        return done, seen


async def check_charging(api: HomeAssistantApi, sim: Simulator, within: float) -> bool:
    """Turn a free connector's Charging switch on; wait for Charging and power > 0."""
    target = await ChargeTarget.first_free(api, sim)
    await api.call_service("switch", "turn_on", target.switch)
    done, seen = await target.wait_charging(api, within)
    print(f"charging check: {target.switch} on -> {seen}: {'OK' if done else 'FAILED'}")
    if done:
        await api.call_service("switch", "turn_off", target.switch)
    return done
