"""Fixtures of the payments tests: per test module, an app serving ETNA 2 with three instalments and its people
(tests/payments/world.py), the clock at the countersignature's hour."""

from __future__ import annotations

import pytest

from tests.payments.world import payments_app


@pytest.fixture(scope="module")
def shared(request, tmp_path_factory):
    """The app and people of payments_app, one per test module."""
    with payments_app(tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])) as served:
        yield served


@pytest.fixture
def app(shared):
    return shared[0]


@pytest.fixture
def world(shared, clock):
    """The people, the clock at the countersignature's hour (10:00 in Paris, 20 September 2019)."""
    clock(2019, 9, 20, 10, 0)
    return shared[1]
