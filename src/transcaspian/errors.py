"""One exception hierarchy for every user-facing error.

Every error a user can cause (a bad scenario, a missing file, an impossible route) is a
:class:`TranscaspianError`. The CLI turns it into one line on stderr and exit status 2; library
users catch the class they care about. Anything else that escapes is a bug (exit status 1).
"""

from __future__ import annotations


class TranscaspianError(Exception):
    """Base class of every user-facing error: bad input, missing data, infeasible request."""

    exit_status = 2


class ScenarioError(TranscaspianError):
    """The scenario file is unreadable or one of its fields is invalid."""


class DataError(TranscaspianError):
    """A data file (grid, GeoJSON layer, dataset) is missing, unreadable or malformed."""


class RouteError(TranscaspianError):
    """The route stage cannot produce a route (no water near a landing, no water path)."""


class OpticsError(TranscaspianError):
    """An optical line or design input is invalid or cannot be evaluated."""


class NetworkError(TranscaspianError):
    """A corridor network input is invalid (unknown node, negative capacity, ...)."""


class OutputError(TranscaspianError):
    """An output file or folder cannot be written (bad --out, no permission, disk full)."""


class SweepError(TranscaspianError):
    """A sweep's parameters, sampler, executor or output folder is invalid."""
