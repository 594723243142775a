"""The browser check of ``scripts/e2e``: a person's path through the UI, in headless Chromium.

After the bootstrap has set up the throw-away instance (the config flow done
through the REST API, as the UI does it), Chromium logs in as dev / dev, opens
the DepotFinity integration page, a charger's device page and a connector's
device page, checks that the main values are shown, turns the connector's
Charging switch on with a click and waits for the session in the simulator.
Then a calendar event becomes a reservation (shown in the calendar panel) and
is deleted again, and the Energy dashboard shows the connectors' hourly energy.
Screenshots of the pages (overview, integration, charger, connector, calendar,
energy) go to the screenshots folder.

The browser is the system's Chromium (Debian's ``chromium`` package), driven
by playwright; playwright's own browser download is never used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import math
import os
from pathlib import Path
import re
import tempfile
import time
from typing import Any

from playwright.async_api import (  # type: ignore[import-not-found, unused-ignore]
    ConsoleMessage,
    Error as PlaywrightError,
    Page,
    async_playwright,
)

from .check import ChargeTarget
from .common import BootstrapError, log, poll_until
from .hass_api import HomeAssistantApi
from .history import create_reservation, delete_reservation, show_energy, sim_connector
from .onboarding import OWNER_PASSWORD, OWNER_USERNAME
from .registry import load_depot
from .simulator import Simulator

CHROMIUM = "/usr/bin/chromium"
VIEWPORT_WIDTH, VIEWPORT_HEIGHT = 1280, 900  # the screenshots: about 100 kB each
PAGE_TIMEOUT_MS = 60_000
# What the UI shows for an entity without a value.
NO_VALUE = ("", "unknown", "unavailable")
CONNECTOR = 2  # the connector the simulator leaves free at start (see ChargeTarget)
RESERVED_TEXT = "Reserved"  # the calendar's title of a reservation (English)

# Browser console errors that are not the integration's, each with the reason.
# Every other console error or uncaught page error fails the check.
IGNORED_CONSOLE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^Failed to load resource: net::ERR_(NAME_NOT_RESOLVED|INTERNET_DISCONNECTED)"),
        (
            "the frontend fetches images (other integrations' brands) from the internet, "
            "which a CI machine may not reach; the integration's own brand is served locally"
        ),
    ),
    (
        re.compile(r"^Failed to load resource: the server responded with a status of 404.*"),
        (
            "Chromium asks for /favicon.ico-style extras that Home Assistant does not serve; "
            "a missing page of ours would show as a missing row, which is checked"
        ),
    ),
)

# Collects, from the page's shadow DOM, the entity rows of the device page:
# [entity id, the text the row shows as the value].
ROWS_JS = """
() => {
  const rows = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (tag.startsWith('hui-') && tag.endsWith('-entity-row')
          && tag !== 'hui-generic-entity-row') {
        const entity = (el._config || el.config || {}).entity;
        const text = (el.shadowRoot ? el.shadowRoot.textContent : el.textContent) || '';
        if (entity) rows.push([entity, text.replace(/\\s+/g, ' ').trim()]);
      }
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return rows;
}
"""


@dataclass  # no slots: playwright keeps its wrappers of bound handlers on the instance
class Console:
    """The browser console's errors: the ones that fail the check, and the ignored ones."""

    errors: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        """File one error message."""
        reason = next((why for pattern, why in IGNORED_CONSOLE if pattern.search(text)), None)
        (self.errors if reason is None else self.ignored).append(text[:300])

    def on_console(self, message: ConsoleMessage) -> None:
        """Playwright's console event: errors only."""
        if message.type == "error":
            self.add(message.text)

    def on_page_error(self, error: Any) -> None:
        """Playwright's pageerror event: an uncaught exception in the page."""
        self.add(f"uncaught: {error}")


@dataclass(frozen=True, slots=True)
class Pages:
    """The paths of the pages the check opens and the entities each must show with values."""

    charger: str
    connector: str
    charger_values: tuple[str, ...]
    target: ChargeTarget
    integration: str = "/config/integrations/integration/depotfinity"


async def find_pages(api: HomeAssistantApi, sim: Simulator) -> Pages:
    """The device pages of the first charger and its free connector."""
    depot = await load_depot(api)
    charger = sim.chargers[0]
    availability = depot.entity_id("sensor", charger, None, "availability")
    power = depot.entity_id("sensor", charger, None, "power")
    target = await ChargeTarget.first_free(api, sim)
    ids = await api.template(
        f"{{{{ device_id('{availability}') }}}} {{{{ device_id('{target.switch}') }}}}"
    )
    charger_device, connector_device = [*ids.split(), "None", "None"][:2]
    if "None" in (charger_device, connector_device):
        raise BootstrapError(f"no device for {availability} or {target.switch}")
    return Pages(
        f"/config/devices/device/{charger_device}",
        f"/config/devices/device/{connector_device}",
        (availability, power),
        target,
    )


async def log_in(page: Page, url: str) -> None:
    """Log in through the login page, as a person does."""
    await page.goto(url + "/")
    await page.wait_for_url("**/auth/authorize**")
    await page.locator("input[name=username]").fill(OWNER_USERNAME)
    await page.locator("input[name=password]").fill(OWNER_PASSWORD)
    await page.keyboard.press("Enter")
    # The frontend stores its token, then drops auth_callback from the address.
    await page.wait_for_url(lambda u: "/auth/" not in u and "auth_callback" not in u)


async def shown_values(page: Page) -> dict[str, str]:
    """Entity id -> the value its row on the page shows."""
    rows = await page.evaluate(ROWS_JS)
    return {str(entity): str(text) for entity, text in rows}


def shown_number(text: str) -> float:
    """The number at the start of a shown value ("1,234.5 kW" -> 1234.5; NaN without one)."""
    match = re.match(r"-?[\d,]+(\.\d+)?", text.strip())
    return float(match.group(0).replace(",", "")) if match else math.nan


async def wait_values(page: Page, entities: tuple[str, ...], within: float) -> dict[str, str]:
    """Wait (bounded) until every entity's row shows a value; raise if one does not."""

    async def probe() -> tuple[bool, dict[str, str]]:
        shown = await shown_values(page)
        return all(shown.get(e, "").lower() not in NO_VALUE for e in entities), shown

    done, shown = await poll_until(probe, within, 1)
    if not done:
        missing = {e: shown.get(e, "<no row>") for e in entities}
        raise BootstrapError(f"{page.url}: no value shown for {missing}")
    return {e: shown[e] for e in entities}


async def open_page(page: Page, url: str, wait_for: str) -> None:
    """Open a page of the UI and wait until ``wait_for`` (a CSS selector) is there."""
    await page.goto(url)
    await page.locator(wait_for).first.wait_for()


async def screenshot(page: Page, folder: Path, name: str) -> Path:
    """Save what the browser shows (after animations settle) as ``folder/name.png``."""
    await page.wait_for_timeout(1000)
    path = folder / f"{name}.png"
    await page.screenshot(path=str(path), animations="disabled")
    return path


async def sim_session(api: HomeAssistantApi, sim: Simulator) -> dict[str, Any] | None:
    """The transaction the simulator runs on the first charger's free connector."""
    connector = await sim_connector(api, sim, sim.chargers[0], CONNECTOR)
    session: dict[str, Any] | None = connector.get("transaction")
    return session


async def start_charging(page: Page, api: HomeAssistantApi, sim: Simulator, within: float) -> str:
    """Click the Charging switch; wait for the simulator's session and the page's status."""
    if await sim_session(api, sim) is not None:
        raise BootstrapError("the connector already charges before the click")
    await page.locator("hui-toggle-entity-row ha-entity-toggle").first.click()

    async def started() -> tuple[bool, dict[str, Any] | None]:
        session = await sim_session(api, sim)
        return session is not None, session

    done, session = await poll_until(started, within, 1)
    if not done or session is None:
        raise BootstrapError(f"no session in the simulator {within:.0f} s after the click")
    # Only its number: the session also names the vehicle and the RFID tag (never logged).
    return f"transaction {session.get('TransactionID', '?')}"


async def _run_pages(
    page: Page, api: HomeAssistantApi, sim: Simulator, folder: Path, within: float
) -> list[str]:
    """The path through the UI; return one line per finding."""
    pages = await find_pages(api, sim)
    lines = []
    await log_in(page, api.url)
    lines.append(f"logged in as {OWNER_USERNAME!r}")

    # The home page (built from areas): the depot's area is there, no YAML needed.
    await open_page(page, api.url + "/", "home-assistant")
    await page.get_by_text("Demo Depot").first.wait_for(timeout=within * 1000)
    lines.append(f"overview shows the depot: {await screenshot(page, folder, 'e2e-overview')}")

    await open_page(page, api.url + pages.integration, "ha-config-integration-page")
    await page.get_by_text("Demo Depot").first.wait_for()
    lines.append(f"integration page: {await screenshot(page, folder, 'e2e-integration')}")

    await open_page(page, api.url + pages.charger, "hui-sensor-entity-row")
    values = await wait_values(page, pages.charger_values, within)
    lines.append(f"charger page: {values}; {await screenshot(page, folder, 'e2e-charger')}")

    target = pages.target
    await open_page(page, api.url + pages.connector, "hui-toggle-entity-row")
    values = await wait_values(page, (target.status, target.power), within)
    lines.append(f"connector page: {values}")
    session = await start_charging(page, api, sim, within)

    async def shows_charging() -> tuple[bool, dict[str, str]]:
        shown = await shown_values(page)
        charging = shown.get(target.status, "").lower() == "charging"
        return charging and shown_number(shown.get(target.power, "")) > 0, shown

    done, shown = await poll_until(shows_charging, within, 1)
    if not done:
        raise BootstrapError(f"the page shows {target.status} = {shown.get(target.status)}")
    lines.append(
        f"Charging clicked: simulator session {session}; page shows "
        f"{shown.get(target.status)}, {shown.get(target.power)}; "
        f"{await screenshot(page, folder, 'e2e-connector')}"
    )
    lines += await _over_time(page, api, sim, folder, within)
    return lines


async def _over_time(
    page: Page, api: HomeAssistantApi, sim: Simulator, folder: Path, within: float
) -> list[str]:
    """The calendar (an event made a reservation, deleting it cancels) and the Energy dashboard."""
    calendar, uid, lines = await create_reservation(api, sim, within)
    await open_page(page, api.url + "/calendar", "ha-full-calendar")
    await page.get_by_text(RESERVED_TEXT).first.wait_for(timeout=within * 1000)
    lines.append(f"calendar panel: {await screenshot(page, folder, 'e2e-calendar')}")
    lines.append(await delete_reservation(api, sim, calendar, uid, within))

    statistics = await show_energy(api, within)
    await open_page(page, api.url + "/energy", "hui-energy-devices-graph-card")
    lines.append(
        f"Energy dashboard with {len(statistics)} connectors: "
        f"{await screenshot(page, folder, 'e2e-energy')}"
    )
    return lines


async def browser_check(api: HomeAssistantApi, sim: Simulator, folder: Path, within: float) -> bool:
    """Run the path through the UI in headless Chromium; print the findings and one result line."""
    if not os.path.exists(CHROMIUM):  # noqa: PTH110, ASYNC240 - one stat, before any waiting
        raise BootstrapError(f"{CHROMIUM} is missing (scripts/setup --e2e installs chromium)")
    os.makedirs(folder, exist_ok=True)  # noqa: PTH103 - likewise
    console = Console()
    began = time.monotonic()
    lines: list[str] = []
    failure = None
    log("browser check: headless Chromium")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = await browser.new_page(
                viewport={"width": VIEWPORT_WIDTH, "height": VIEWPORT_HEIGHT}
            )
            page.set_default_timeout(PAGE_TIMEOUT_MS)
            page.on("console", console.on_console)
            page.on("pageerror", console.on_page_error)
            lines = await _run_pages(page, api, sim, folder, within)
            await page.wait_for_timeout(1000)  # late console errors of the last page
        except (BootstrapError, PlaywrightError) as err:
            failure = str(err).splitlines()[0]
            await _save_failure(browser)
        finally:
            await browser.close()
    for line in lines:
        print(f"browser: {line}")
    for text in console.ignored:
        print(f"browser: ignored console error: {text}")
    for text in console.errors:
        print(f"browser: console error: {text}")
    if failure is None and console.errors:
        failure = f"{len(console.errors)} console errors"
    seconds = time.monotonic() - began
    print(f"browser check: {'OK' if failure is None else 'FAILED: ' + failure} ({seconds:.0f} s)")
    return failure is None


async def _save_failure(browser: Any) -> None:
    """Keep a screenshot of what the browser showed when the check failed (in the temp folder)."""
    for context in browser.contexts:
        for page in context.pages:
            try:
                path = await screenshot(
                    page, Path(tempfile.gettempdir()), "depotfinity-e2e-failure"
                )
            except PlaywrightError:
                continue
            print(f"browser: the page at the failure: {path}")
            return
