"""transcaspian — plan a submarine fibre-optic cable system and the network it joins.

The embedded default is the Trans-Caspian line Sumgayit (Azerbaijan) - Aktau (Kazakhstan).

>>> import transcaspian
>>> scenario = transcaspian.load_scenario()        # the embedded default
>>> scenario.landings.a.name
'Sumgayit'

Public API: :func:`load_scenario`, :func:`plan` and the stage functions (``run_route``, ...).
Heavy modules load on first use, so ``import transcaspian`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import (
    DataError,
    EconomicsError,
    NetworkError,
    OpticsError,
    RouteError,
    ScenarioError,
    TranscaspianError,
)

# eager, not lazy: importing the submodule ``transcaspian.plan`` would otherwise leave the module,
# not the function, under ``transcaspian.plan`` (the import system sets the attribute)
from .plan import Plan, plan
from .scenario import Scenario, default_scenario, load_scenario

__all__ = [
    "DataError",
    "EconomicsError",
    "NetworkError",
    "OpticsError",
    "Plan",
    "RouteError",
    "Scenario",
    "ScenarioError",
    "TranscaspianError",
    "__version__",
    "default_scenario",
    "load_scenario",
    "plan",
    "run_economics",
    "run_power",
    "run_reliability",
    "run_route",
]

if TYPE_CHECKING:  # pragma: no cover
    from .economics.stage import run_economics
    from .geo.stage import run_route
    from .power.stage import run_power
    from .reliability.stage import run_reliability

_LAZY = {
    "run_route": ".geo.stage",
    "run_economics": ".economics.stage",
    "run_power": ".power.stage",
    "run_reliability": ".reliability.stage",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'transcaspian' has no attribute {name!r}")
