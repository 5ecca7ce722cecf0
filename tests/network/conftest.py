"""Fixtures for the network tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from network_testlib import build

from transcaspian.network.topology import Corridor


@pytest.fixture
def make_corridor() -> Callable[..., Corridor]:
    return build
