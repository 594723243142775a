"""Faults of the whole service: 429 answers, maintenance windows, the token endpoint in one."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from .run import fault_run, simulator_config

RETRY_AFTER = 30
STORM = 600.0
# Longest wait for the first 429 of a single queued one.
FIRST_ANSWER_LIMIT = 60.0


async def rate_limited(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    *,
    storm: float | None = None,
    documented: bool = False,
    steady: bool = True,
) -> str:
    """One 429 (or every answer 429 for ``storm`` seconds); ``documented``: no Retry-After.

    ``steady``: after several minutes of polling (else right after start-up).
    """
    config = simulator_config(documented_only=documented)
    async with fault_run(hass, freezer, config, steady=steady) as run:
        start = run.now()
        run.sim.faults.queue("429", count=10**6 if storm else 1, retry_after=RETRY_AFTER)
        if storm:
            await run.run_for(storm)
            run.sim.faults.clear()
            end = run.now()
        else:
            await run.until(lambda: run.answers(429), FIRST_ANSWER_LIMIT)
            end = run.answers(429)[-1]
        issues = run.repairs()
        await run.until_live(end)
        header = "no Retry-After" if documented else f"Retry-After: {RETRY_AFTER}"
        return await run.report(
            start,
            end,
            run.next_request(run.answers(429)[0], f"the first 429 ({header})"),
            f"repair issues during the fault: {', '.join(issues) or 'none'}",
            status=429,
            through=not storm,
        )


async def maintenance(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    seconds: float,
    *,
    documented: bool = False,
    token_due: bool = False,
) -> str:
    """A maintenance window (every request 503) of ``seconds``.

    ``documented``: the 503s carry no Retry-After. ``token_due``: the cached token is
    dropped as the window opens, so the client needs a new one during it.
    """
    config = simulator_config(documented_only=documented)
    async with fault_run(hass, freezer, config) as run:
        start = run.now()
        run.sim.faults.maintenance(seconds)
        if token_due:
            run.coordinator.client.auth.invalidate()
        await run.run_for(seconds)
        end = run.now()
        await run.until_live(end)
        extra = [run.next_request(end, "the window")]
        if token_due:
            tokens = [at - end for at in run.answers(200, token=True) if at > start]
            refused = len([at for at in run.answers(503, token=True) if start <= at <= end])
            extra = [
                f"token requests answered 503: {refused}",
                "new token " + (f"{tokens[0]:.0f} s" if tokens else "never") + " after the window",
                *extra,
            ]
        return await run.report(start, end, *extra, status=503)
