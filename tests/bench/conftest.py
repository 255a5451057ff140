"""Benchmarks run on demand only: `python -m pytest tests/bench --benchmark-only`."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def on_demand(request):
    """Skip a benchmark unless pytest-benchmark was asked to run."""
    if not (request.config.getoption("benchmark_only") or request.config.getoption("benchmark_enable")):
        pytest.skip("benchmarks run on demand: add --benchmark-only")
