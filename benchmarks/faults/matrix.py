"""The fault matrix: each fault, what the code does about it, and how it is measured.

"What the integration does" and "What the user sees" are read from the code
(coordinator, service health, polls, commands, error translation, the client's
limiter, transport and token manager); "Measured" comes from the run.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import partial

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from .answers import connection_reset, junk_status, lapsed, refused_api, timeout
from .outages import STORM, maintenance, rate_limited
from .sessions import session_end_in_outage
from .writes import on_off_on, reload_during_limit, uncertain_start

type Measure = Callable[[HomeAssistant, FrozenDateTimeFactory], Awaitable[str]]

SHORT_WINDOW = 90.0
LONG_WINDOW = 600.0


@dataclass(frozen=True, slots=True)
class Variant:
    """One measured way of a fault (``label`` empty when there is only one)."""

    key: str
    label: str
    measure: Measure


@dataclass(frozen=True, slots=True)
class Fault:
    """A row of the matrix."""

    number: int
    name: str
    does: str
    sees: str
    tests: tuple[str, ...]
    variants: tuple[Variant, ...]

    def markdown(self, measured: Mapping[str, str]) -> str:
        """The row; a variant not measured says so."""
        figures = "<br>".join(
            (f"**{variant.label}:** " if variant.label else "")
            + measured.get(variant.key, "not measured")
            for variant in self.variants
        )
        tests = "<br>".join(f"`{test}`" for test in self.tests)
        return f"| {self.number}. {self.name} | {self.does} | {self.sees} | {figures} | {tests} |"


def _one(key: str, measure: Measure) -> tuple[Variant, ...]:
    return (Variant(key, "", measure),)


COORDINATOR = "tests/test_coordinator.py::"
FAULTS_TESTS = "tests/test_faults.py::"
BACKOFF = "tests/api/test_api_backoff.py::"
SHARING = "tests/test_commands_sharing.py::"

FAULTS: tuple[Fault, ...] = (
    Fault(
        1,
        "One 429 with Retry-After (30 s)",
        "Keeps the last data; the client pauses every request, token requests included, "
        "for the Retry-After (at most 300 s); the next poll is set that far out.",
        "Nothing: the values stay and update again after the pause.",
        (f"{COORDINATOR}test_rate_limited_backs_off_as_told",),
        _one("429", rate_limited),
    ),
    Fault(
        2,
        "429 storm: every request answered 429 for 10 min (Retry-After 30 s)",
        "One request per Retry-After; the last data stays for the 120 s grace, then each "
        "poll fails with 'request limit reached, retry in N s'; a rate-limit repair issue "
        "after 3 rate-limited polls, cleared by the first success.",
        "Every entity unavailable from 2 min into the storm to its end, and a repair "
        "issue; all back by themselves seconds after it.",
        (
            f"{COORDINATOR}test_rate_limited_past_the_grace_turns_unavailable",
            f"{COORDINATOR}test_rate_limited_backs_off_as_told",
        ),
        _one("storm", partial(rate_limited, storm=STORM)),
    ),
    Fault(
        3,
        "One 429 without Retry-After (documented-only simulator)",
        "Pauses until its oldest request of the last 5 min leaves the window: seconds "
        "in steady polling, up to 5 min soon after start-up; the poll waits at most the "
        "grace, then fails while the pause lasts.",
        "In steady polling nothing. Within 5 min of a start or reload: every entity "
        "unavailable for about 2 min.",
        (
            (
                f"{BACKOFF}test_429_without_retry_after_waits_for_the_oldest_request_to_leave"
                "_the_window"
            ),
            f"{BACKOFF}test_429_with_nothing_else_in_the_window_waits_the_whole_window",
        ),
        (
            Variant("429-steady", "steady polling", partial(rate_limited, documented=True)),
            Variant(
                "429-start",
                "1 min after start-up",
                partial(rate_limited, documented=True, steady=False),
            ),
        ),
    ),
    Fault(
        4,
        "90 s maintenance window (503)",
        "Keeps the last data for the 120 s grace ('keeping the last data' logged once); "
        "waits the Retry-After (the rest of the window), or without one 30 s, then 60 s.",
        "Nothing: values live again seconds after the window.",
        (
            f"{COORDINATOR}test_maintenance_keeps_last_data_for_grace",
            f"{BACKOFF}test_503_without_retry_after_backs_off_30_60_90_and_a_success_resets",
        ),
        (
            Variant("503-90", "with Retry-After", partial(maintenance, seconds=SHORT_WINDOW)),
            Variant(
                "503-90-doc",
                "without Retry-After",
                partial(maintenance, seconds=SHORT_WINDOW, documented=True),
            ),
        ),
    ),
    Fault(
        5,
        "10 min maintenance window (past the 120 s grace)",
        "After the grace each poll fails with 'unavailable (maintenance), retry in N s' "
        "(Retry-After capped at 300 s); polling resumes by itself, no reload.",
        "Every entity unavailable from 2 min into the window to its end; back seconds after it.",
        (f"{COORDINATOR}test_long_outage_turns_unavailable",),
        _one("503-600", partial(maintenance, seconds=LONG_WINDOW)),
    ),
    Fault(
        6,
        "Connection reset on one status poll",
        "A GET is sent again at once after a connection error; if that fails too the "
        "poll is a passing failure (grace) and the connector is read at its next turn.",
        "Nothing.",
        (f"{FAULTS_TESTS}test_connection_error_keeps_the_last_values",),
        (
            Variant("reset-1", "one reset", partial(connection_reset, resets=1)),
            Variant("reset-2", "reset on the retry too", partial(connection_reset, resets=2)),
        ),
    ),
    Fault(
        7,
        "Status request held in flight until a timeout",
        "A gateway 504 is an outage answer (back-off 30 s without Retry-After, grace); "
        "the client's own timeout (30 s) is a passing failure, neither retried nor "
        "backed off.",
        "Nothing (the values stay).",
        (
            "tests/api/test_api_error_mapping.py::test_gateway_timeout_is_unavailable",
            (
                "tests/api/test_api_error_mapping.py::test_timeout_when_latency_exceeds_request"
                "_timeout"
            ),
        ),
        (
            Variant("gateway", "gateway 504", partial(timeout, client=False)),
            Variant("client", "client timeout", partial(timeout, client=True)),
        ),
    ),
    Fault(
        8,
        "Junk 200 answer about one connector (for 1 min)",
        "Marks only that connector's status unreadable (one warning); everything else "
        "polls on; the next readable answer clears it.",
        "That connector's status entities unavailable until an answer can be read (its "
        "meter and sessions, from other APIs, stay); the rest of the depot unaffected.",
        (f"{FAULTS_TESTS}test_unreadable_answer_affects_only_its_connector",),
        (
            Variant("junk-cut", "truncated JSON", partial(junk_status, truncated=True)),
            Variant("junk-none", "record without status", partial(junk_status, truncated=False)),
        ),
    ),
    Fault(
        9,
        "Lapsed subscription: every API answers 403 for 10 min",
        "Switches each API off at its first 403 (its polls stop) with a repair issue; a "
        "switched-off API is probed again after 5, 15 and 60 min, then every 6 h; without "
        "the status API nothing read counts as current.",
        "Every entity that shows a read value unavailable within seconds, and a repair "
        "issue; the Force reconnect buttons and power limits (writes) stay. After the "
        "renewal everything returns with the next probe.",
        (
            f"{FAULTS_TESTS}test_lapsed_subscription_turns_entities_unavailable",
            f"{COORDINATOR}test_package_issue_for_forbidden_api",
        ),
        _one("lapsed", lapsed),
    ),
    Fault(
        10,
        "Persistent 401 from the time-series API (credentials valid), 10 min",
        "One fresh token and one retry; a 401 that survives it is 'access refused': the "
        "API is switched off like a 403 (repair issue), no reauthentication, no reload.",
        "Power and energy entities unavailable, the rest live; they return with the "
        "next probe after the 401s stop (5, 15, 60 min, then every 6 h).",
        (f"{FAULTS_TESTS}test_access_refused_by_one_api_is_no_reauthentication",),
        _one("401", refused_api),
    ),
    Fault(
        11,
        "Token falls due during a 90 s maintenance window",
        "A 503 from the token endpoint sets the same back-off as an API 503; no token "
        "request is sent while it runs.",
        "Nothing.",
        (
            f"{BACKOFF}test_maintenance_does_not_hammer_the_token_endpoint",
            f"{BACKOFF}test_no_token_request_while_blocked",
            f"{BACKOFF}test_a_token_endpoint_429_or_503_sets_the_back_off",
        ),
        (
            Variant(
                "token",
                "with Retry-After",
                partial(maintenance, seconds=SHORT_WINDOW, token_due=True),
            ),
            Variant(
                "token-doc",
                "without Retry-After",
                partial(maintenance, seconds=SHORT_WINDOW, documented=True, token_due=True),
            ),
        ),
    ),
    Fault(
        12,
        "Power limit set while the entry reloads",
        "The write runs as its own task (the unload does not cancel it); its result goes "
        "to the depot state, which the entry keeps across reloads.",
        "The new limit, at most a tick after the answer.",
        (f"{FAULTS_TESTS}test_power_limit_set_during_a_reload_is_shown",),
        (
            Variant(
                "reload-during",
                "answer during the reload",
                partial(reload_during_limit, answer_after_reload=False),
            ),
            Variant(
                "reload-after",
                "answer after the reload",
                partial(reload_during_limit, answer_after_reload=True),
            ),
        ),
    ),
    Fault(
        13,
        "Malformed 200 answer to a start command",
        "'May or may not have reached the charger' (never 'unexpected error'); the "
        "connector is read again 3 s later; the command is never sent again.",
        "An error telling them to check the charger before trying again.",
        (
            f"{SHARING}test_malformed_answer_to_a_command_is_uncertain",
            "tests/api/test_api_writes.py::test_malformed_answer_from_the_simulator_to_a_command",
        ),
        _one("uncertain", uncertain_start),
    ),
    Fault(
        14,
        "Charging on, off, on within a second",
        "The same command in flight, or ended less than 1 s ago, shares the first one's "
        "outcome; a different command about the same connector ends the sharing of "
        "earlier ones, ended or still in flight.",
        "Three commands in every case, in the order asked; the charger's own answers "
        "(a start refused while the stopped session finishes) come back as they are.",
        (
            f"{SHARING}test_on_off_on_sends_every_command",
            f"{SHARING}test_on_off_on_in_flight_sends_every_command",
        ),
        (
            Variant("toggle", "switch, each awaited", partial(on_off_on, mode="awaited")),
            Variant("taps", "switch, three quick taps", partial(on_off_on, mode="taps")),
            Variant("in-flight", "all three in flight", partial(on_off_on, mode="in_flight")),
        ),
    ),
    Fault(
        15,
        "A session ends during a 90 s maintenance window",
        "The final register read waits 60 s after the end is seen (meter samples lag), "
        "and a failed one is tried again every 30 s until it succeeds.",
        "The session's final energy, 2 to 3 min after it ended; nothing lost.",
        (
            "tests/test_scheduler.py::test_last_energy_of_a_session_is_read_late_enough_and_until_it_succeeds",
        ),
        (
            Variant(
                "session-in",
                "vehicle leaves in the window",
                partial(session_end_in_outage, seen_first=False),
            ),
            Variant(
                "session-read",
                "final read due in the window",
                partial(session_end_in_outage, seen_first=True),
            ),
        ),
    ),
)

VARIANTS: dict[str, Variant] = {v.key: v for fault in FAULTS for v in fault.variants}

HEADER = (
    "| Fault | What the integration does | What the user sees | Measured | Test |\n"
    "|---|---|---|---|---|"
)

COLUMNS = """\
**Fault** names what was injected into a running integration (3 chargers x 2 connectors and a
group, against the DepotFinity simulator on loopback, on a virtual clock), and for how long.
Unless a row says otherwise, the fault comes after more than 5 minutes of normal polling.

**What the integration does** is the behaviour the code implements for that fault (the
coordinator and its service health, the polls, the command sender, the error translation, and
the API client's limiter, transport and token manager).

**What the user sees** is the effect on Home Assistant's entities, repair issues and action
errors.

**Measured** holds the figures of the run. "API requests during the fault" counts the requests
the simulator answered between the injection and the end of the fault ("answered N": with the
fault's status); "token requests" the requests to the token endpoint then; "entities
unavailable" the seconds during which at least one entity that was available before the fault
was unavailable (with how many of them at most); "back to live values" the seconds from the end
of the fault until every such entity is available and a connector status read after the end has
arrived; "reloads" the reloads of the entry. A fault with several variants has one line each.

**Test** names the pytest tests that cover the behaviour.
"""


def markdown(measured: Mapping[str, str]) -> str:
    """FAULTS.md: the explanation of the columns and the table."""
    rows = "\n".join(fault.markdown(measured) for fault in FAULTS)
    return (
        "# Fault matrix\n\n"
        "How the integration survives each fault, produced by `scripts/faults`.\n\n"
        f"{COLUMNS}\n{HEADER}\n{rows}\n"
    )
