"""Every write to DepotFinity goes through here: commands, reservations, limits, RFID, prices.

- A command is sent at once with the command priority: the limiter keeps part of
  the budget for commands, so they never queue behind polls (they fail fast).
- A command is never retried once sent (DepotFinity's commands are not idempotent).
- The same command asked for again in flight, or ``COMMAND_DEDUPE_WINDOW`` after,
  gets the first one's outcome: a double toggle sends one command.
- Client errors become translated errors; afterwards what changed is re-read.

RFID tags and idTags are never logged; they only travel in request bodies.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
import time
from typing import Any

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util

from .api import (
    CommandResult,
    DepotFinityClient,
    PowerLimitWindow,
    PriceBlock,
    Priority,
    RemoteCommandType,
    Reservation,
    SessionReports,
    Transaction,
)
from .const import COMMAND_DEDUPE_WINDOW, CONF_ID_TAG, DOMAIN, LOGGER, POWER_LIMIT_DURATION
from .coordinator import DepotFinityCoordinator
from .errors import UNCERTAIN_ERRORS, translate_errors

# A write's key: (what it does, what it is about).
type WriteKey = tuple[tuple[Hashable, ...], tuple[Hashable, ...]]


def connector_label(charger_name: str, connector_id: int) -> str:
    """A connector as messages name it, with its charger: "Bay 3 connector 1"."""
    return f"{charger_name} connector {connector_id}"


class DepotFinityCommands:
    """Sends an entry's commands and writes; one instance per loaded entry."""

    def __init__(self, coordinator: DepotFinityCoordinator) -> None:
        """Attach to an entry's coordinator."""
        self._coordinator = coordinator
        # A write in flight, and each write's outcome for a moment after it
        # returned, by key; the key's second item names what the write is about.
        self._in_flight: dict[WriteKey, asyncio.Task[Any]] = {}
        self._recent: dict[WriteKey, tuple[float, asyncio.Task[Any]]] = {}

    @property
    def coordinator(self) -> DepotFinityCoordinator:
        """The coordinator serving the entry now (a reload replaces it while a write runs)."""
        runtime = getattr(self._coordinator.config_entry, "runtime_data", None)
        return self._coordinator if runtime is None else runtime.coordinator

    @property
    def client(self) -> DepotFinityClient:
        """The entry's API client."""
        return self.coordinator.client

    @property
    def id_tag(self) -> str | None:
        """The idTag configured for remote starts (never logged)."""
        tag = self.coordinator.config_entry.options.get(CONF_ID_TAG)
        return str(tag) if tag else None

    # Plumbing ------------------------------------------------------------------------

    def _charger_name(self, charger_id: str) -> str:
        """A charger as the user named it (error messages never show a bare id)."""
        charger = self.coordinator.data.chargers.get(charger_id)
        return charger_id if charger is None else charger.name

    def _connector_name(self, charger_id: str, connector_id: int) -> str:
        """A connector, named with its charger: "Bay 3 connector 1"."""
        return connector_label(self._charger_name(charger_id), connector_id)

    def _errors(self, target: str, *, write: bool = True) -> AbstractContextManager[None]:
        return translate_errors(
            self.coordinator.hass, self.coordinator.config_entry, target, write=write
        )

    async def _send[T](
        self,
        key: WriteKey,
        target: str,
        call: Callable[[], Awaitable[T]],
        *,
        follow_up: tuple[str, int | None] | None = None,
    ) -> T:
        """Send a write once; share its outcome with the same write asked for meanwhile.

        The write runs as its own task and every caller waits for it shielded: a
        caller that is cancelled neither cancels the write nor the other callers.
        A different write about the same thing ends the sharing of the earlier
        one (on, off, on sends three commands).
        """
        now = time.monotonic()
        self._recent = {
            k: (at, task)
            for k, (at, task) in self._recent.items()
            if now - at <= COMMAND_DEDUPE_WINDOW
        }
        task = self._in_flight.get(key) or (
            recent[1] if (recent := self._recent.get(key)) is not None else None
        )
        if task is not None:
            LOGGER.debug("Same command for %s again; sharing the first one's outcome", target)
        else:
            # A different write about the same thing ends the sharing of earlier
            # ones, finished or still in flight (they run on, unshared).
            for other in [k for k in self._recent if k[1] == key[1]]:
                del self._recent[other]
            for other in [k for k in self._in_flight if k[1] == key[1]]:
                del self._in_flight[other]
            task = self.coordinator.hass.async_create_background_task(
                self._write(key, target, call, follow_up), f"{DOMAIN} write {key[0]}"
            )
            if task.done():  # it ran to its end at once (refused before sending)
                self._recent[key] = (time.monotonic(), task)
            else:
                self._in_flight[key] = task
            # Retrieved even when every caller was cancelled (they re-raise it).
            task.add_done_callback(lambda done: done.cancelled() or done.exception())
        result: T = await asyncio.shield(task)
        return result

    async def _write[T](
        self,
        key: WriteKey,
        target: str,
        call: Callable[[], Awaitable[T]],
        follow_up: tuple[str, int | None] | None,
    ) -> T:
        """Run a write; when it ends, keep its outcome for the de-duplication window."""
        try:
            return await self._execute(target, call, follow_up)
        finally:
            if (task := self._in_flight.pop(key, None)) is not None:
                self._recent[key] = (time.monotonic(), task)

    async def _execute[T](
        self,
        target: str,
        call: Callable[[], Awaitable[T]],
        follow_up: tuple[str, int | None] | None,
    ) -> T:
        try:
            with self._errors(target):
                result = await call()
        except HomeAssistantError as err:
            if follow_up is not None and isinstance(err.__cause__, UNCERTAIN_ERRORS):
                # The command may have run: re-read what it would have changed.
                self.coordinator.follow_up(*follow_up)
            raise
        if isinstance(result, CommandResult) and not result.accepted:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="command_rejected",
                translation_placeholders={
                    "target": target,
                    "message": result.message or result.status or "no reason given",
                },
            )
        if follow_up is not None:
            self.coordinator.follow_up(*follow_up)
        return result

    async def _read[T](self, target: str, call: Callable[[], Awaitable[T]]) -> T:
        """A read the user asked for: never queued behind polls, errors translated."""
        with self._errors(target, write=False):
            return await call()

    async def _remote(
        self,
        charger_id: str,
        connector_id: int,
        detail: tuple[Hashable, ...],
        call: Callable[[], Awaitable[CommandResult]],
    ) -> CommandResult:
        """A remote command on a connector; ``detail`` tells one command from another."""
        return await self._send(
            (("remote", *detail), (charger_id, connector_id)),
            self._connector_name(charger_id, connector_id),
            call,
            follow_up=(charger_id, connector_id),
        )

    # Charging ------------------------------------------------------------------------

    async def start_charging(
        self,
        charger_id: str,
        connector_id: int,
        id_tag: str | None = None,
        id_tag_type: str | None = None,
    ) -> CommandResult:
        """Start a session with the given idTag or the configured one."""
        tag = id_tag or self.id_tag
        if tag is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="id_tag_missing"
            )
        return await self._remote(
            charger_id,
            connector_id,
            (RemoteCommandType.START, tag, id_tag_type),
            lambda: self.client.start_charging(
                charger_id, connector_id, tag, id_tag_type, priority=Priority.COMMAND
            ),
        )

    async def stop_charging(self, charger_id: str, connector_id: int) -> CommandResult:
        """Stop the session on a connector."""
        return await self._remote(
            charger_id,
            connector_id,
            (RemoteCommandType.STOP, None, None),
            lambda: self.client.stop_charging(charger_id, connector_id, priority=Priority.COMMAND),
        )

    async def send_remote_command(
        self,
        charger_id: str,
        command_type: str,
        connector_id: int,
        *,
        id_tag: str | None = None,
        id_tag_type: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> CommandResult:
        """Send any remote command type to a connector."""
        extra_key = tuple(sorted((k, repr(v)) for k, v in (extra or {}).items()))
        return await self._remote(
            charger_id,
            connector_id,
            (str(command_type), id_tag, id_tag_type, extra_key),
            lambda: self.client.send_remote_command(
                charger_id,
                command_type,
                connector_id=connector_id,
                id_tag=id_tag,
                id_tag_type=id_tag_type,
                extra=extra,
                priority=Priority.COMMAND,
            ),
        )

    async def force_reconnect(self, charger_id: str) -> CommandResult:
        """Drop a charger's backend connection; it reconnects by itself."""
        return await self._send(
            (("force_terminate",), (charger_id,)),
            self._charger_name(charger_id),
            lambda: self.client.force_terminate(charger_id, priority=Priority.COMMAND),
            follow_up=(charger_id, None),
        )

    # Reservations ------------------------------------------------------------------

    async def reserve(
        self,
        charger_id: str,
        connector_id: int,
        start: datetime,
        end: datetime,
        rfid_tag: str,
    ) -> Reservation:
        """Reserve a connector for an RFID tag."""
        reservation = await self._send(
            (("reserve", start, end, rfid_tag), (charger_id, connector_id, "reservations")),
            self._connector_name(charger_id, connector_id),
            lambda: self.client.add_reservation(
                charger_id, connector_id, start, end, rfid_tag, priority=Priority.COMMAND
            ),
            follow_up=(charger_id, connector_id),
        )
        # Shown at once; a read of the connector's reservations confirms it soon.
        self.coordinator.reservations_changed(charger_id, connector_id, made=reservation)
        self.coordinator.async_update_listeners()
        return reservation

    async def cancel_reservation(
        self, charger_id: str, connector_id: int, reservation_id: str
    ) -> None:
        """Cancel a reservation."""
        await self._send(
            (("cancel_reservation", reservation_id), (charger_id, connector_id, "reservations")),
            self._connector_name(charger_id, connector_id),
            lambda: self.client.cancel_reservation(
                charger_id, connector_id, reservation_id, priority=Priority.COMMAND
            ),
            follow_up=(charger_id, connector_id),
        )
        self.coordinator.reservations_changed(charger_id, connector_id, cancelled=reservation_id)
        self.coordinator.async_update_listeners()

    async def list_reservations(self, charger_id: str, connector_id: int) -> list[Reservation]:
        """Read a connector's reservations (and keep them for its sensor)."""
        reservations = await self._read(
            self._connector_name(charger_id, connector_id),
            lambda: self.client.list_reservations(
                charger_id, connector_id, priority=Priority.COMMAND
            ),
        )
        self.coordinator.poller.set_reservations(charger_id, connector_id, reservations)
        self.coordinator.async_update_listeners()
        return reservations

    # Power limits --------------------------------------------------------------------

    async def set_power_limit(
        self, group_id: str, limit_kw: float, *, end: datetime | None = None
    ) -> str:
        """Limit a group's power from now until ``end`` (default: ``POWER_LIMIT_DURATION``)."""
        now = dt_util.utcnow()
        window = PowerLimitWindow(now, end or now + POWER_LIMIT_DURATION, limit_kw * 1000)
        return await self.set_power_schedule(group_id, [window])

    async def set_power_schedule(self, group_id: str, windows: Sequence[PowerLimitWindow]) -> str:
        """Replace a group's external power-limit schedule (limits in W)."""
        schedule = tuple(windows)
        message = await self._send(
            (("power_limit", schedule), (group_id,)),
            group_id,
            lambda: self.client.set_external_power_limit(
                group_id, schedule, priority=Priority.COMMAND
            ),
        )
        if (group := self.coordinator.data.groups.get(group_id)) is not None:
            group.set_schedule(schedule, dt_util.utcnow())
        self.coordinator.async_update_listeners()
        return message

    # RFID and prices ---------------------------------------------------------------

    async def import_rfids(self, tags: Sequence[str]) -> str:
        """Import RFID tags in bulk."""
        tags = tuple(tags)
        return await self._send(
            (("import_rfids", tags), ("rfid",)),
            "RFID",
            lambda: self.client.import_rfids(tags, priority=Priority.COMMAND),
        )

    async def set_rfid_enabled(self, tag: str, enabled: bool) -> str:
        """Enable or disable an RFID tag."""
        return await self._send(
            (("rfid_enabled", enabled), ("rfid", tag)),
            "RFID",
            lambda: self.client.set_rfid_enabled(tag, enabled, priority=Priority.COMMAND),
        )

    async def set_energy_prices(self, site_id: str, blocks: Sequence[PriceBlock]) -> str:
        """Replace a site's energy price blocks."""
        blocks = tuple(blocks)
        return await self._send(
            (("energy_prices", blocks), ("site", site_id)),
            site_id,
            lambda: self.client.set_energy_prices(site_id, blocks, priority=Priority.COMMAND),
        )

    async def get_energy_prices(self, site_id: str) -> list[PriceBlock]:
        """Read a site's energy price blocks."""
        return await self._read(
            site_id, lambda: self.client.get_energy_prices(site_id, priority=Priority.COMMAND)
        )

    # Reads -----------------------------------------------------------------------------

    async def get_transactions(self, **filters: Any) -> list[Transaction]:
        """Read one page of the fleet's transactions."""
        return await self._read(
            "transactions",
            lambda: self.client.get_transactions(**filters, priority=Priority.COMMAND),
        )

    async def get_session_reports(
        self, charger_id: str, connector_id: int, **query: Any
    ) -> SessionReports:
        """Read one page of a connector's session reports (start, end, page, limit)."""
        return await self._read(
            self._connector_name(charger_id, connector_id),
            lambda: self.client.get_session_reports(
                charger_id, connector_id, **query, priority=Priority.COMMAND
            ),
        )
