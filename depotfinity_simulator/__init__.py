"""A stateful DepotFinity API simulator served over real HTTP."""

from __future__ import annotations

from .app import create_app
from .clock import VirtualClock
from .config import PACKAGES, ApiGroup, SimulatorConfig
from .depot import DepotSimulator
from .errors import ApiError, NotFoundError, SimulatorError
from .testing import SimulatorServer

__all__ = [
    "PACKAGES",
    "ApiError",
    "ApiGroup",
    "DepotSimulator",
    "NotFoundError",
    "SimulatorConfig",
    "SimulatorError",
    "SimulatorServer",
    "VirtualClock",
    "create_app",
]
