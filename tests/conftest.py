"""Shared fixtures: small ensembles reused across tests."""

import pytest

from ottepel import load_scenario, simulate


@pytest.fixture(scope="session")
def scenario():
    """The packaged historical scenario."""
    return load_scenario("khrushchev-1953")


@pytest.fixture(scope="session")
def small_result(scenario):
    """A 40-run replay of the historical scenario."""
    return simulate(scenario, runs=40, seed=7, chunk_size=40)
