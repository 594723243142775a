"""Fixtures for the benchmarks: custom integrations on, sockets to loopback."""

from __future__ import annotations

import logging

import pytest

import custom_components.depotfinity  # noqa: F401


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/depotfinity."""


@pytest.fixture(autouse=True)
def loopback(socket_enabled: None) -> None:
    """The simulator listens on 127.0.0.1 (connections elsewhere stay blocked)."""


@pytest.fixture(autouse=True)
def quiet_logs() -> None:
    """Only warnings from the integration; no asyncio slow-callback notes (the clock is frozen)."""
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger("asyncio").setLevel(logging.ERROR)
    logging.getLogger("homeassistant.loader").setLevel(logging.ERROR)
