"""Sub-commands of the ``transcaspian`` CLI, one module each (``register(subparsers)``)."""

from __future__ import annotations

from types import ModuleType

from . import (
    data,
    decision,
    economics,
    install,
    network,
    optics,
    power,
    reliability,
    route,
    run,
    scenario,
    sweep,
)

COMMAND_MODULES: tuple[ModuleType, ...] = (
    run, route, optics, power, network, decision, install, reliability, economics, sweep,
    scenario, data
)
