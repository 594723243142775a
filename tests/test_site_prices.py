"""A site's energy price and the session costs it gives: sensors, budget, packages, actions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.energy.validate import (
    ENERGY_PRICE_UNIT_ERROR,
    ENERGY_PRICE_UNITS,
    ValidationIssues,
    _async_validate_price_entity,
)
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.depotfinity import async_remove_config_entry_device
from custom_components.depotfinity.api import ApiGroup, DepotFinityResponseError
from custom_components.depotfinity.const import (
    CONF_CHARGER_ID,
    CONF_CONNECTORS,
    CONF_CURRENCY,
    CONF_NAME,
    CONF_SITE_CHARGERS,
    CONF_SITE_ID,
    DOMAIN,
    SUBENTRY_CHARGER,
    SUBENTRY_SITE,
)
from custom_components.depotfinity.devices import site_identifier
from custom_components.depotfinity.jobs import Job, JobKind
from custom_components.depotfinity.prices import NO_PRICE_RETRY
from custom_components.depotfinity.repairs import package_issue_id
from depotfinity_simulator import SimulatorServer
from depotfinity_simulator.history import DAY, default_prices
from depotfinity_simulator.model import PriceBlock as SimPriceBlock
from depotfinity_simulator.timefmt import parse_ts

from .conftest import CLIENT_ID, START
from .entries import depot_entry
from .helpers import poll_until_idle, setup_and_poll, tick
from .test_services_helpers import call, hours

pytestmark = pytest.mark.usefixtures("start_time")

SITE = "site-1"
PRICE = "sensor.site_1_energy_price"
PRICES_ROUTE = "/v1/vppController/{siteId}/energyPrices"
PRICE_JOB = Job(JobKind.PRICES, detail=SITE)


def cost_sensor(charger: str, connector: int) -> str:
    """The entity id of a connector's last session cost."""
    return f"sensor.{charger.lower().replace('-', '_')}_connector_{connector}_last_session_cost"


def price_reads(simulator: SimulatorServer) -> int:
    """Requests to the energy price path so far."""
    return simulator.sim.stats.requests_by_route[PRICES_ROUTE]


def expected_cost(
    blocks: Sequence[SimPriceBlock], start: datetime, end: datetime, wh: float
) -> float:
    """The session's energy spread evenly over its time, priced block by block (minutes)."""
    total = 0.0
    for block in blocks:
        begin = parse_ts(block.start)
        assert begin is not None
        overlap = min(end.timestamp(), begin + block.duration * 60) - max(start.timestamp(), begin)
        total += block.price * max(overlap, 0.0)
    return total / (end - start).total_seconds() * wh / 1000


@pytest.fixture
def sites(simulator: SimulatorServer) -> list[str]:
    """The price sites the entry holds (the simulator's by default)."""
    return list(simulator.sim.site_ids)


@pytest.fixture
def options() -> dict[str, Any]:
    """The entry's options."""
    return {}


@pytest.fixture
def mock_config_entry(
    simulator: SimulatorServer,
    configured_chargers: list[str],
    sites: list[str],
    options: dict[str, Any],
) -> MockConfigEntry:
    """The simulator's account with its chargers and its price site (feeding every charger)."""
    return depot_entry(
        simulator,
        configured_chargers,
        unique_id=CLIENT_ID,
        title=f"DepotFinity {CLIENT_ID}",
        sites=sites,
        options=options,
    )


@pytest.fixture
def since_noon_yesterday(simulator: SimulatorServer) -> list[SimPriceBlock]:
    """The site's list from yesterday 12:00 UTC: two last sessions fall in it, two do not."""
    start = START.timestamp()
    blocks = default_prices(start - DAY)[12:] + default_prices(start)
    simulator.sim.state.sites[SITE] = blocks
    return blocks


@pytest.mark.usefixtures("since_noon_yesterday")
async def test_price_and_cost_sensors(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """The site's device with its price, and a cost for each connector it feeds."""
    await setup_and_poll(hass, freezer, mock_config_entry)
    device = device_registry.async_get_device_by_identifier(
        site_identifier(mock_config_entry, SITE), mock_config_entry.entry_id
    )
    assert device == snapshot(name="site-device")
    # A configured site's device is removed with its subentry, not on its own.
    assert device is not None
    assert not await async_remove_config_entry_device(hass, mock_config_entry, device)
    entities = sorted(
        (
            entity
            for entity in er.async_entries_for_config_entry(
                entity_registry, mock_config_entry.entry_id
            )
            if entity.translation_key in {"energy_price", "last_session_cost"}
        ),
        key=lambda entity: entity.entity_id,
    )
    assert len(entities) == 5
    for entity in entities:
        assert entity == snapshot(name=f"{entity.entity_id}-entry")
        assert hass.states.get(entity.entity_id) == snapshot(name=f"{entity.entity_id}-state")


@pytest.mark.usefixtures("since_noon_yesterday")
async def test_cost_of_the_last_sessions(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    since_noon_yesterday: list[SimPriceBlock],
) -> None:
    """Sessions inside the kept blocks have their cost; one that began before them has none."""
    coordinator = await setup_and_poll(hass, freezer, mock_config_entry)
    assert float(hass.states.get(PRICE).state) == pytest.approx(0.27)
    for charger, number in (("CH-01", 1), ("CH-02", 1)):
        session = coordinator.data.chargers[charger].connectors[number].last_session
        assert session is not None
        assert session.start_at is not None
        assert session.end_at is not None
        assert session.energy_delivered is not None
        state = hass.states.get(cost_sensor(charger, number))
        assert float(state.state) == pytest.approx(
            expected_cost(
                since_noon_yesterday, session.start_at, session.end_at, session.energy_delivered
            ),
            abs=1e-4,
        )
        assert state.attributes["transaction_id"] == session.transaction_id
    # 10:33-11:22 and 11:05-12:12 yesterday: (partly) before the first block.
    assert hass.states.get(cost_sensor("CH-01", 2)).state == STATE_UNKNOWN
    assert hass.states.get(cost_sensor("CH-02", 2)).state == STATE_UNKNOWN


async def test_one_read_per_price_block(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The price follows the hourly blocks, read once per block however often the depot is."""
    coordinator = await setup_and_poll(hass, freezer, mock_config_entry)
    assert price_reads(simulator) == 1
    # Due when the 08:00 block ends.
    assert coordinator.planner.due_in(PRICE_JOB) == pytest.approx(
        (START + timedelta(hours=1) - dt_util.utcnow()).total_seconds()
    )
    sweeps = simulator.sim.stats.total_requests
    prices = {block.start[11:13]: block.price for block in simulator.sim.state.sites[SITE]}
    while dt_util.utcnow() < START + timedelta(hours=3, minutes=30):
        await tick(hass, freezer, 30, simulator)
        # The price changes at the block's boundary, whenever the list is read.
        hour = dt_util.utcnow().strftime("%H")
        assert float(hass.states.get(PRICE).state) == prices[hour]
    # Hundreds of other requests; one price read in each block (08, 09, 10 and 11 h).
    assert simulator.sim.stats.total_requests - sweeps > 300
    hours = [when.hour for when, route, _ in simulator.sim.stats.log if route == PRICES_ROUTE]
    assert hours == [8, 9, 10, 11]


@pytest.mark.parametrize("sites", [["site-1", "site-2"]])
async def test_no_block_now_and_an_unknown_site(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No price now: unknown, read hourly. A site DepotFinity does not know: unavailable."""
    simulator.sim.state.sites[SITE] = default_prices(START.timestamp() - DAY)
    coordinator = await setup_and_poll(hass, freezer, mock_config_entry)
    assert hass.states.get(PRICE).state == STATE_UNKNOWN
    # Read again an hour after it was read (other reads ran since).
    retry = NO_PRICE_RETRY.total_seconds()
    assert retry - 60 < coordinator.planner.due_in(PRICE_JOB) <= retry
    assert hass.states.get("sensor.site_2_energy_price").state == STATE_UNAVAILABLE
    assert caplog.text.count("does not know the site site-2") == 1
    due = coordinator.planner.due_in(Job(JobKind.PRICES, detail="site-2"))
    assert retry - 60 < due <= retry
    assert coordinator.last_update_success

    # Both are read again after the hour, not before; the unknown site is logged once.
    await tick(hass, freezer, 58 * 60, simulator)
    assert price_reads(simulator) == 2
    await poll_until_idle(hass, freezer, coordinator)
    assert price_reads(simulator) == 2 + 2
    assert caplog.text.count("does not know the site site-2") == 1


async def test_without_the_price_package(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Without Premium the price and cost sensors are unavailable, tried again rarely, no error."""
    simulator.sim.package = "advanced"
    coordinator = await setup_and_poll(hass, freezer, mock_config_entry)
    assert coordinator.last_update_success
    assert ApiGroup.VPP in coordinator.health.disabled_apis
    assert hass.states.get(PRICE).state == STATE_UNAVAILABLE
    assert hass.states.get(cost_sensor("CH-01", 1)).state == STATE_UNAVAILABLE
    assert hass.states.get("sensor.ch_01_connector_1_last_session_energy").state != (
        STATE_UNAVAILABLE
    )
    issue_id = f"{mock_config_entry.entry_id}_{package_issue_id(ApiGroup.VPP)}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None

    # Half an hour: the refused read and a probe or two (due after 5, then 15 more minutes).
    for _ in range(60):
        await tick(hass, freezer, 30, simulator)
    assert 2 <= price_reads(simulator) <= 3
    assert simulator.sim.stats.responses_by_status[403] == price_reads(simulator)
    assert coordinator.last_update_success

    # The package comes back: the next probe (an hour later) turns the prices on again.
    simulator.sim.package = "premium"
    for _ in range(200):
        await tick(hass, freezer, 30, simulator)
        if hass.states.get(PRICE).state != STATE_UNAVAILABLE:
            break
    await poll_until_idle(hass, freezer, coordinator)
    assert float(hass.states.get(PRICE).state) > 0
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_an_unreadable_price_list(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Junk, or blocks without a readable start: logged once, read again hourly, never an error."""
    coordinator = await setup_and_poll(hass, freezer, mock_config_entry)
    error = DepotFinityResponseError("Energy prices without a blocks list")
    with patch.object(coordinator.client, "get_energy_prices", side_effect=error):
        for _ in range(2):
            coordinator.planner.mark_due(PRICE_JOB, 0)
            await poll_until_idle(hass, freezer, coordinator, simulator=simulator)
    assert caplog.text.count("cannot be read: Energy prices without a blocks list") == 1
    assert 0.9 * NO_PRICE_RETRY.total_seconds() < coordinator.planner.due_in(PRICE_JOB)
    assert coordinator.last_update_success
    # The blocks read before still give the price.
    assert float(hass.states.get(PRICE).state) == pytest.approx(0.27)

    # Readable again, then a list whose blocks have no start that can be read.
    coordinator.planner.mark_due(PRICE_JOB, 0)
    await poll_until_idle(hass, freezer, coordinator, simulator=simulator)
    simulator.sim.state.sites[SITE] = [SimPriceBlock("tomorrow", 60, 0.2)]
    for _ in range(2):
        coordinator.planner.mark_due(PRICE_JOB, 0)
        await poll_until_idle(hass, freezer, coordinator, simulator=simulator)
    assert caplog.text.count("has a start and duration that can be read") == 1
    assert coordinator.planner.due_in(PRICE_JOB) == pytest.approx(
        (START + timedelta(hours=1) - dt_util.utcnow()).total_seconds()
    )


async def test_a_session_keeps_its_cost_after_the_list_moves_on(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """08:10-10:20: DepotFinity's list loses the 08:00 block at 09:00; the kept one prices it."""
    listed = list(simulator.sim.state.sites[SITE])
    coordinator = await setup_and_poll(hass, freezer, mock_config_entry)
    await tick(hass, freezer, 10 * 60 - 30, simulator)
    simulator.sim.plug_in("CH-02", 2)
    while dt_util.utcnow() < START + timedelta(hours=1, minutes=1):
        await tick(hass, freezer, 30, simulator)
    simulator.sim.state.sites[SITE] = listed[9:]  # from 09:00 on
    while dt_util.utcnow() < START + timedelta(hours=2, minutes=20):
        await tick(hass, freezer, 30, simulator)
    simulator.sim.unplug("CH-02", 2)
    connector = coordinator.data.chargers["CH-02"].connectors[2]
    for _ in range(10):
        await tick(hass, freezer, 30, simulator)
    session = connector.last_session
    assert session is not None
    assert session.start_at is not None
    assert session.end_at is not None
    assert session.energy_delivered
    assert (
        session.start_at < START + timedelta(hours=1) < START + timedelta(hours=2) < session.end_at
    )
    assert price_reads(simulator) == 3
    cost = expected_cost(listed, session.start_at, session.end_at, session.energy_delivered)
    assert float(hass.states.get(cost_sensor("CH-02", 2)).state) == pytest.approx(cost, abs=1e-4)


@pytest.mark.parametrize("options", [{CONF_CURRENCY: "CHF"}])
async def test_the_currency_of_the_options(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mock_config_entry: MockConfigEntry
) -> None:
    """Prices are in the options' currency (Home Assistant's when none is set)."""
    await setup_and_poll(hass, freezer, mock_config_entry)
    assert hass.states.get(PRICE).attributes["unit_of_measurement"] == "CHF/kWh"
    assert hass.states.get(cost_sensor("CH-01", 1)).attributes["unit_of_measurement"] == "CHF"


async def test_the_energy_dashboard_takes_the_price(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mock_config_entry: MockConfigEntry
) -> None:
    """The price sensor passes the Energy dashboard's check of a price entity."""
    await setup_and_poll(hass, freezer, mock_config_entry)
    issues = ValidationIssues()
    _async_validate_price_entity(hass, PRICE, issues, ENERGY_PRICE_UNITS, ENERGY_PRICE_UNIT_ERROR)
    assert not issues.issues


async def test_the_cost_stays_for_its_session_after_a_restart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mock_config_entry: MockConfigEntry
) -> None:
    """Blocks are not stored: the cost shown before a restart stays while it is of the session."""
    same, other, currency = (
        cost_sensor("CH-01", 2),
        cost_sensor("CH-02", 2),
        cost_sensor("CH-01", 1),
    )

    def shown(entity_id: str, transaction_id: int, value: float, unit: str) -> Any:
        state = State(entity_id, str(value), {"transaction_id": transaction_id})
        return state, {"native_value": value, "native_unit_of_measurement": unit}

    mock_restore_cache_with_extra_data(
        hass,
        (
            shown(same, 100232, 9.87, "EUR"),
            shown(other, 1, 5.0, "EUR"),
            shown(currency, 100236, 3.0, "CHF"),
        ),
    )
    await setup_and_poll(hass, freezer, mock_config_entry)
    assert hass.states.get(same).state == "9.87"
    assert hass.states.get(same).attributes["transaction_id"] == 100232
    assert hass.states.get(other).state == STATE_UNKNOWN
    assert hass.states.get(currency).state == STATE_UNKNOWN


@pytest.mark.parametrize("sites", [[]])
async def test_sites_added_changed_and_removed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A site added later brings its price and the costs of the chargers it feeds; no reload."""
    # A cost sensor left from a site removed while Home Assistant was stopped goes at setup.
    mock_config_entry.add_to_hass(hass)
    left = entity_registry.async_get_or_create(
        "sensor",
        DOMAIN,
        f"{CLIENT_ID}_CH-01_1_last_session_cost",
        config_entry=mock_config_entry,
        suggested_object_id="ch_01_connector_1_last_session_cost",
    )
    coordinator = await setup_and_poll(hass, freezer, mock_config_entry)
    assert entity_registry.async_get(left.entity_id) is None
    assert hass.states.get(PRICE) is None
    assert hass.states.get(cost_sensor("CH-01", 1)) is None
    assert not any(job.kind is JobKind.PRICES for job in coordinator.planner.jobs)

    site = ConfigSubentry(
        data={CONF_SITE_ID: SITE, CONF_NAME: "Site 1", CONF_SITE_CHARGERS: ["CH-02"]},
        subentry_type=SUBENTRY_SITE,
        title="Site 1",
        unique_id=SITE,
    )
    hass.config_entries.async_add_subentry(mock_config_entry, site)
    await poll_until_idle(hass, freezer, coordinator)
    assert float(hass.states.get(PRICE).state) == pytest.approx(0.27)
    assert hass.states.get(cost_sensor("CH-02", 1)) is not None
    assert hass.states.get(cost_sensor("CH-01", 1)) is None

    # Every charger: CH-01's connectors get their cost sensors too.
    hass.config_entries.async_update_subentry(
        mock_config_entry, site, data={**site.data, CONF_SITE_CHARGERS: []}
    )
    await hass.async_block_till_done()
    assert hass.states.get(cost_sensor("CH-01", 1)) is not None

    # Removed: the site's device and price go, and the costs with them.
    hass.config_entries.async_remove_subentry(mock_config_entry, site.subentry_id)
    await poll_until_idle(hass, freezer, coordinator)
    assert entity_registry.async_get(PRICE) is None
    assert entity_registry.async_get(cost_sensor("CH-01", 1)) is None
    assert hass.states.get(cost_sensor("CH-01", 1)) is None
    assert not any(job.kind is JobKind.PRICES for job in coordinator.planner.jobs)

    # Back: the costs come back too.
    hass.config_entries.async_add_subentry(mock_config_entry, site)
    await poll_until_idle(hass, freezer, coordinator)
    assert hass.states.get(cost_sensor("CH-01", 1)) is not None


async def test_a_reload_keeps_the_blocks(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """What a site read survives a reload of the entry (e.g. after changing an option)."""
    await setup_and_poll(hass, freezer, mock_config_entry)
    simulator.sim.state.sites[SITE] = []
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await poll_until_idle(hass, freezer, mock_config_entry.runtime_data.coordinator)
    assert price_reads(simulator) == 2
    assert float(hass.states.get(PRICE).state) == pytest.approx(0.27)


@pytest.mark.usefixtures("since_noon_yesterday")
async def test_transactions_with_their_cost(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mock_config_entry: MockConfigEntry
) -> None:
    """The transactions action adds cost and currency where the kept blocks price a session."""
    await setup_and_poll(hass, freezer, mock_config_entry)
    query = {"config_entry_id": mock_config_entry.entry_id, "start": hours(-24), "end": hours(0)}
    result = await call(hass, "get_transactions", query, response=True)
    by_id = {t["transaction_id"]: t for t in result["transactions"]}
    shown = float(hass.states.get(cost_sensor("CH-01", 1)).state)
    assert (by_id[100236]["cost"], by_id[100236]["currency"]) == (pytest.approx(shown), "EUR")
    assert "cost" not in by_id[100232]  # began before the first block
    assert "currency" not in by_id[100232]
    priced = [t for t in by_id.values() if "cost" in t]
    assert all(t["start"] >= hours(-20) for t in priced)


async def test_price_actions_update_the_sensor(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Prices written or read by an action show at once, without another read of the list."""
    coordinator = await setup_and_poll(hass, freezer, mock_config_entry)
    site = {"config_entry_id": mock_config_entry.entry_id, "site_id": SITE}
    blocks = [{"start": hours(0), "duration": 30, "price": 0.5}]
    await call(hass, "set_energy_prices", {**site, "blocks": blocks})
    assert float(hass.states.get(PRICE).state) == 0.5
    assert price_reads(simulator) == 1 + 1  # the first read, and the write
    # Next read when the written 30-minute block ends.
    assert coordinator.planner.due_in(PRICE_JOB) == pytest.approx(
        (START + timedelta(minutes=30) - dt_util.utcnow()).total_seconds()
    )

    simulator.sim.state.sites[SITE] = [
        SimPriceBlock(block.start, 60, 0.4) for block in simulator.sim.state.sites[SITE]
    ]
    await call(hass, "get_energy_prices", site, response=True)
    assert float(hass.states.get(PRICE).state) == 0.4
    # A site that is not configured: read, nothing kept for it.
    simulator.sim.state.sites["site-9"] = []
    await call(hass, "get_energy_prices", {**site, "site_id": "site-9"}, response=True)
    assert set(coordinator.data.sites) == {SITE}


@pytest.mark.parametrize(
    ("sites", "configured_chargers", "subentry_type", "data"),
    [
        ([], ["CH-01", "CH-02"], SUBENTRY_SITE, {CONF_SITE_ID: SITE, CONF_NAME: "Site 1"}),
        ([], ["CH-01"], SUBENTRY_CHARGER, {CONF_CHARGER_ID: "CH-02", CONF_CONNECTORS: 2}),
    ],
    ids=["site", "charger"],
)
async def test_what_is_added_to_a_loaded_entry_is_checked_within_its_window(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorServer,
    mock_config_entry: MockConfigEntry,
    subentry_type: str,
    data: dict[str, Any],
) -> None:
    """A flow's check uses the running entry's client: its token and the host's request window."""
    mock_config_entry.add_to_hass(hass)
    coordinator = await setup_and_poll(hass, freezer, mock_config_entry)
    tokens = simulator.sim.stats.token_requests
    used = coordinator.client.limiter.used()
    result = await hass.config_entries.subentries.async_init(
        (mock_config_entry.entry_id, subentry_type), context={"source": "user"}
    )
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], data)
    assert (result["type"], result.get("reason")) == ("create_entry", None)
    assert simulator.sim.stats.token_requests == tokens
    assert coordinator.client.limiter.used() == used + 1
