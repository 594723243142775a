"""How the service treats an entry: packages switched off, outages, rate limiting.

The coordinator polls; this keeps what the answers say about the service
itself, logs each change once and raises or clears the matching repair issue.
"""

from __future__ import annotations

from datetime import datetime

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .api import ApiGroup
from .const import LOGGER, MAINTENANCE_GRACE, RATE_LIMIT_REPAIR_AFTER
from .repairs import (
    RATE_LIMIT_ISSUE,
    async_clear_issue,
    async_raise_package_issue,
    async_raise_rate_limit_issue,
    package_issue_id,
)

# When a switched-off API (package, refused access) is tried again, in seconds.
PROBE_DELAYS = (300.0, 900.0, 3600.0, 6 * 3600.0)


class ServiceHealth:
    """The service's state as one entry sees it."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Start with every API on and no outage."""
        self._hass = hass
        self._entry = entry
        # API groups outside the subscribed package (their polls are off).
        self.disabled_apis: set[ApiGroup] = set()
        self._probes: dict[ApiGroup, int] = {}
        self._outage_since: datetime | None = None
        self._rate_limited_streak = 0

    # Packages --------------------------------------------------------------------

    def api_refused(self, api: ApiGroup) -> bool:
        """Note an API the package does not include; True the first time."""
        if api in self.disabled_apis:
            return False
        LOGGER.warning("DepotFinity %s API is not in the subscribed package; switched off", api)
        self.disabled_apis.add(api)
        async_raise_package_issue(self._hass, self._entry, api)
        return True

    def next_probe_delay(self, api: ApiGroup) -> float:
        """Seconds until a switched-off API is tried again: soon at first, then rarely.

        A renewed subscription comes back within minutes; a package that is
        simply not subscribed costs one request every 6 hours.
        """
        attempt = self._probes.get(api, 0)
        self._probes[api] = attempt + 1
        return PROBE_DELAYS[min(attempt, len(PROBE_DELAYS) - 1)]

    def api_back(self, api: ApiGroup) -> bool:
        """Note an API that answers again; True when it had been switched off."""
        if api not in self.disabled_apis:
            return False
        LOGGER.info("DepotFinity %s API is available again", api)
        self.disabled_apis.discard(api)
        self._probes.pop(api, None)
        async_clear_issue(self._hass, self._entry, package_issue_id(api))
        return True

    # Outages and rate limits -----------------------------------------------------

    def outage_grace(self, *, has_data: bool) -> bool:
        """During a failure that passes by itself, whether the last data may still be shown.

        A maintenance window lasts about 90 s (documented): the last data stays
        for ``MAINTENANCE_GRACE`` before the entities turn unavailable.
        """
        now = dt_util.utcnow()
        if self._outage_since is None:
            self._outage_since = now
            if has_data:
                LOGGER.info("DepotFinity does not answer for now; keeping the last data")
        return has_data and now - self._outage_since < MAINTENANCE_GRACE

    def grace_left(self) -> float:
        """Seconds until the grace of the current failure ends (0 without one)."""
        if self._outage_since is None:
            return 0.0
        left = MAINTENANCE_GRACE - (dt_util.utcnow() - self._outage_since)
        return max(left.total_seconds(), 0.0)

    def rate_limited(self) -> None:
        """Count rate-limited polls; raise a repair issue when it goes on."""
        self._rate_limited_streak += 1
        if self._rate_limited_streak == RATE_LIMIT_REPAIR_AFTER:
            async_raise_rate_limit_issue(self._hass, self._entry)

    def succeeded(self, *, was_failing: bool) -> None:
        """A poll went through: end outage and rate-limit streaks."""
        if self._outage_since is not None:
            if not was_failing:
                LOGGER.info("DepotFinity is available again")
            self._outage_since = None
        if self._rate_limited_streak:
            self._rate_limited_streak = 0
            async_clear_issue(self._hass, self._entry, RATE_LIMIT_ISSUE)

    # Assumptions about the API ---------------------------------------------------

    def note_surprises(self, surprises: list[dict[str, str]]) -> None:
        """Log, once each, answers that differ from what the client assumes.

        Fields or enum values the documentation did not mention (or a field it
        promised that is missing) show which [INFERRED] facts did not hold; the
        diagnostics carry the whole report.
        """
        for surprise in surprises:
            LOGGER.warning(
                "DepotFinity's %s answer (%s) differs from what this integration assumes: "
                "%s %s%s; please report it with the diagnostics",
                surprise.get("api"),
                surprise.get("shape"),
                surprise.get("kind", "").replace("_", " "),
                surprise.get("field"),
                f" = {surprise['value']}" if "value" in surprise else "",
            )
