"""One exception hierarchy for every user-facing error.

Every error a user can cause (a bad scenario, a missing file, an impossible route) is a
:class:`TranscaspianError`. The CLI turns it into one line on stderr and exit status 2; library
users catch the class they care about. Anything else that escapes is a bug (exit status 1).
"""

from __future__ import annotations

from collections.abc import Sequence


class TranscaspianError(Exception):
    """Base class of every user-facing error: bad input, missing data, infeasible request.

    The message is one line naming the file or field. An input with several problems (a
    scenario with a typo and a wrong type) keeps that line as a header (``my.yaml: 2
    problems``) and lists each problem in :attr:`problems`; ``str()`` then gives the header
    and one indented line per problem.
    """

    exit_status = 2

    def __init__(self, message: str = "", *, problems: Sequence[str] = ()) -> None:
        head, *rest = str(message).split("\n")
        if not problems and rest and all(r.startswith("  ") for r in rest):
            # a message already in the multi-problem text form (header + indented lines)
            message, problems = head, [r[2:] for r in rest]
        super().__init__(message)
        self.message = message
        self.problems: tuple[str, ...] = tuple(problems)

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"  {p}" for p in self.problems)])


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


class ReliabilityError(TranscaspianError):
    """A reliability or power-feeding input is invalid (negative rate, bad table row, ...)."""


class EconomicsError(TranscaspianError):
    """An economics input is invalid (unknown cost item, currency mismatch, ...)."""


class PowerError(TranscaspianError):
    """A power-feeding input is invalid (a cable type without a conductor resistance, ...)."""


class DecisionError(TranscaspianError):
    """No candidate design can be built, or a decision input is invalid."""


class SweepError(TranscaspianError):
    """A sweep's parameters, sampler, executor or output folder is invalid."""


class InstallError(TranscaspianError):
    """An installation, burial or permit input is invalid (negative rate, permit cycle, ...)."""
