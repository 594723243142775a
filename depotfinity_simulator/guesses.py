"""Every undocumented (guessed) endpoint or behaviour of the simulator, in one table.

Each entry comes from an ``[INFERRED]`` fact of the API specification (section numbers refer
to it) and says what the simulator does in its default mode and, where it differs, in the
documented-only mode (``SimulatorConfig(documented_only=True)``, ``--documented-only``).
The CLI's ``--help`` and the README's table are generated from ``GUESSES``.
"""

from __future__ import annotations

from dataclasses import dataclass
import textwrap
from typing import Final

SAME: Final = "same"


@dataclass(frozen=True, slots=True)
class Guess:
    """One guessed endpoint or behaviour."""

    topic: str
    spec: str
    default: str
    documented: str | None = None

    @property
    def documented_text(self) -> str:
        """Return the documented-only behaviour (``same`` when it does not differ)."""
        return self.documented or SAME


GUESSES: Final[tuple[Guess, ...]] = (
    Guess(
        "Hosts",
        "1.1, 4.1",
        "One base URL serves the API and `/oauth2/token`; no region host names.",
    ),
    Guess(
        "Plain JSON",
        "1.3, 4.40",
        "Plain JSON bodies, no JSON:API envelopes; request media types are not checked.",
    ),
    Guess(
        "API versions",
        "1.1, 4.41",
        "Only the listed versions are served (no `/v1/transactions`, no `/v1/rfid`).",
    ),
    Guess("Token lifetime", "1.2, 4.2", "`expires_in` is 3600 s (`--token-lifetime`)."),
    Guess(
        "Token errors",
        "1.2, 4.3",
        'Bad client credentials: 403 `{"error":"invalid_client"}`; missing or other '
        '`grant_type`: 400 `{"error":"invalid_request"}` / `unsupported_grant_type`.',
    ),
    Guess(
        "401 body",
        "1.3, 4.5",
        'Missing, unknown or expired bearer token: 401 `{"message":"Unauthorized"}`.',
    ),
    Guess(
        "Packages",
        "1.4, 4.6, 4.9",
        "Tiered: basic = status, transactions, session reports, time series, force "
        "termination; advanced adds RFID, remote commands, reservations; premium adds "
        'charger control, VPP, VDV-261. Other groups: 403 `{"message":"Forbidden"}`.',
    ),
    Guess(
        "Retry-After values",
        "1.3, 4.7",
        "429 and 503 carry `Retry-After`: seconds until a rate-limit slot frees, seconds left "
        "in the maintenance window, or a queued fault's `retry_after` (default 1).",
        "429 and 503 carry no `Retry-After` header.",
    ),
    Guess(
        "Token endpoint and the rate limit",
        "1.3, 4.7",
        "The token endpoint is exempt: only API requests count towards the 100 requests "
        "per 5 minutes per IP.",
        "Token requests count towards the same per-IP budget (the docs name no exemption) "
        "and get 429 beyond it.",
    ),
    Guess(
        "429 and 503 bodies and scope",
        "1.3, 4.7",
        '429 `{"message":"Too Many Requests"}`; 503 `{"message":"Service Unavailable"}`; '
        "maintenance windows also close the token endpoint.",
    ),
    Guess(
        "Error bodies",
        "1.3, 4.8",
        'Errors are `{"message": ...}`; any invalid path, query or body value: 400 '
        '`{"message":"Operation denied: Invalid Payload."}`.',
    ),
    Guess(
        "404 wording",
        "1.3, 2.8, 4.30",
        '404 `{"message":"Charger not found."}` (also `Connector`, `Transaction`, '
        "`Reservation`, `RFID`, `Site`, `Charger group`); remote commands answer "
        "`Operation denied: Charger not found.` in the `RemoteCommandResponse` shape.",
    ),
    Guess(
        "202, 204 and 409",
        "1.3",
        "Never sent: writes answer 200 or 201; conflicts (overlapping reservations) are 400.",
    ),
    Guess(
        "Charger discovery",
        "4.16",
        "No list-chargers endpoint; ids are `CH-01`... (printed at start, `/_admin/state`).",
    ),
    Guess("Connector ids", "4.17", "Integers from 1; path and query values must be decimal."),
    Guess(
        "Connector status enum",
        "2.2.2, 4.11",
        "OCPP 1.6 ChargePointStatus values: Preparing, Charging, SuspendedEV, SuspendedEVSE, "
        "Finishing, Reserved besides Available, Unavailable, Faulted.",
    ),
    Guess(
        "errorCode and vendor codes",
        "2.2.1, 4.13",
        "Faults use OCPP 1.6 ChargePointErrorCode values; `vendorErrorCode` is 0 without a "
        "fault and a string such as `E42` with one; `vendorId` is an integer.",
    ),
    Guess(
        "Status items",
        "2.2.1, 4.15",
        "One item, the current status; `timeStamp` is the time of its last change.",
    ),
    Guess(
        "Force termination",
        "2.2.3, 2.6, 4.14",
        'The charger reports connectivity `"false"` for `--reconnect-delay` (60 s), then '
        "reconnects; sessions go on; remote commands are rejected meanwhile.",
    ),
    Guess(
        "Transaction by id",
        "2.3, 4.18",
        "`GET /v2/transactions/{transactionId}` (404 `Transaction not found.`) and a "
        "`transactionId` list filter.",
    ),
    Guess(
        "Running transactions",
        "2.3, 4.19",
        "Listed with `EndAt`, `EndSoC`, `EndResult` null; under `filterBy=Overlapping` a running "
        "session lasts until now; `filterBy=EndAt` leaves it out.",
    ),
    Guess(
        "InsertedAt",
        "2.3, 4.19, 4.23",
        "A record is written when its session starts (`InsertedAt` filters on `StartAt`); "
        "`filterBy` defaults to `InsertedAt`.",
    ),
    Guess(
        "Transaction fields",
        "2.3, 4.20, 4.21",
        "`EnergyDelivered` in Wh (integer); `EndResult` a string (`Completed`, "
        "`StoppedRemotely`, `EVDisconnected`); extra fields `VehicleID`, `IdTag`.",
    ),
    Guess(
        "Pagination",
        "1.3, 4.22",
        "`page` is 1-based (default 1); no total or next link: the last page is shorter than "
        "`limit`; transactions `limit` at most 1000.",
    ),
    Guess(
        "Session-report limit",
        "2.4, 4.24",
        "`limit` defaults to 10, accepted from 1 to 2000.",
        "`limit` defaults to 3 (the published default), accepted from 1 to 2000.",
    ),
    Guess(
        "Session-report content",
        "2.4",
        "Derived from the transactions of the HPC charger (`CH-01`); other chargers give no "
        "items; `from`/`to` filter on the session start; `paramType` `Station` and `EV`.",
    ),
    Guess(
        "Time-series default window",
        "2.5, 4.26",
        "Without `from` and `to`: the last 24 hours up to now.",
        "Without `from` and `to`: the previous calendar day (UTC, 00:00:00.000 to "
        "23:59:59.999). With only one of them the other defaults as in the default mode.",
    ),
    Guess(
        "Meter samples",
        "2.5, 4.25",
        "One sample per minute (`sample_interval`), kept 36 hours; 24 hours are seeded at start.",
        "One sample per minute, kept at least 48 hours; seeded back to the start of the "
        "previous day.",
    ),
    Guess(
        "Time-series values",
        "2.5, 4.25",
        "Strings with one decimal; W, Wh, A, V, °C; export measurands `0.0`; `AlarmCode` is "
        "the active fault's errorCode or `NoError`.",
    ),
    Guess(
        "phase",
        "2.5, 4.28",
        "Optional: a phased measurand without `phase` reports L1 (L1-N for `Voltage`); a "
        "phase that the measurand does not have: 400.",
    ),
    Guess(
        "Connector time series",
        "2.5.2, 4.27",
        "`/v1/timeSeries/chargers/{chargerId}/connectors/{connectorId}` with the charger "
        "measurands plus `SoC` (%, no items while no vehicle is plugged in).",
    ),
    Guess(
        "RFID",
        "2.7, 4.33",
        'Re-importing a tag: 201 (it keeps its status); status update: 201 `{"message":"RFID '
        'status has been updated successfully."}`; unknown tag: 404; tags are 4-20 hex '
        "characters, case-insensitive; no list or delete endpoint.",
    ),
    Guess(
        "Remote command types",
        "2.8, 4.29",
        "`startChargingSession` and `stopChargingSession` (stop needs only `connectorId`); "
        'other types: 400 with `response.status` `""`; no status besides `Accepted`, '
        "`Rejected` and that empty one.",
    ),
    Guess(
        "Remote command outcomes",
        "2.8, 4.30",
        "Start on Available (the vehicle plugs in at once) or Preparing: Accepted, then "
        "Charging; on Charging, Faulted, Unavailable, a disconnected charger or another tag's "
        "reservation: 400 Rejected; stop on a running session: Accepted, then Finishing, then "
        "Available (Preparing while the vehicle stays).",
    ),
    Guess("idTagType", "2.8, 4.31", "Optional; any non-empty string."),
    Guess(
        "RFID for remote start",
        "4.32",
        "Not required (`--enforce-rfid`: a known, enabled tag is required).",
    ),
    Guess(
        "Idempotency",
        "4.42",
        "No idempotency keys; every accepted remote command acts.",
    ),
    Guess(
        "Reservation answer",
        "2.9.1, 4.34",
        '201 `{"message":"Reservation has been created successfully.","reservationId":...}`; '
        "the connector is Reserved during the window; 400 if `ReservationEnd` is not after "
        "`ReservationStart`, the window has ended or it overlaps another reservation.",
    ),
    Guess(
        "Reservations list and cancel",
        "2.9.2",
        '`GET .../connectors/{connectorId}` gives `{"items":[...]}`; '
        "`DELETE .../connectors/{connectorId}/{reservationId}` cancels (404 if unknown).",
    ),
    Guess(
        "AuthorizationType",
        "2.9.1, 4.35",
        "Any non-empty string.",
        'Only `"RFID"` (the documented value); anything else: 400.',
    ),
    Guess(
        "Charger-group list",
        "2.10.2, 4.36",
        "`GET /v1/chargerControl/chargerGroups` gives a bare array of "
        "`{chargerGroupId, name, chargerIds}`.",
    ),
    Guess(
        "External power limits",
        "2.10.1, 4.37",
        "`source` is optional free text; a PUT replaces the whole schedule; overlapping "
        "windows: the lowest applies; outside all windows no limit; answer "
        "`External power limit has been updated successfully.`; "
        "400 if `toDate` is not after `fromDate` or a limit is negative; no read endpoint.",
    ),
    Guess(
        "externalPowerRateUnit",
        "2.10.1, 4.37",
        "`W` or `kW` (missing: `W`).",
        "Only `W` (missing: `W`); anything else: 400.",
    ),
    Guess(
        "VPP prices",
        "2.11, 4.38",
        '`GET` on the write path gives `{"PricesJsonStr":{"blocks":[...]}}`; a write takes '
        "`PricesJsonStr` as an object or a JSON string, or a bare `blocks` object; `start` is "
        "any string, `duration` any positive number (unit not interpreted), `price` any "
        "number; site `site-1` starts with 24 hourly blocks (`duration` 60); no "
        "power-consumption endpoint.",
    ),
    Guess(
        "VDV-261",
        "2.12, 4.39",
        "`POST /v1/vdv`; any non-empty Basic VIN and password are accepted; the answer has "
        "fixed values (`driveoff` 65535, `prec_dsrd` 1, `prec_hvac` 3, `ambienttemp` 255) "
        "and echoes `seq` and `vin` (a string).",
    ),
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_rows() -> list[str]:
    """Return one Markdown table row per guess (the README carries each of them)."""
    return [
        f"| {_cell(g.topic)} | {g.spec} | {_cell(g.default)} | {_cell(g.documented_text)} |"
        for g in GUESSES
    ]


def markdown_table() -> str:
    """Return the README's table of guesses."""
    head = [
        "| Guess | Spec § | Default mode | Documented-only mode |",
        "|---|---|---|---|",
    ]
    return "\n".join(head + markdown_rows())


def help_epilog(width: int = 100) -> str:
    """Return the ``--help`` epilog listing every guess and its behaviour per mode."""
    lines = [
        "Guessed (undocumented) behaviour, per mode (default / --documented-only).",
        "Set DEPOTFINITY_SIMULATOR_MODE=documented for the documented-only mode.",
        "",
    ]
    for guess in GUESSES:
        text = f"{guess.topic} (spec {guess.spec}): {guess.default.replace('`', '')}"
        if guess.documented is not None:
            text += f" Documented-only: {guess.documented.replace('`', '')}"
        lines.extend(
            textwrap.wrap(
                text,
                width,
                initial_indent="- ",
                subsequent_indent="  ",
                break_on_hyphens=False,
            )
        )
    return "\n".join(lines)
