"""Pattern-oriented validation: a registry of checks of a result against the record.

A pattern is a callable ``(result) -> pandas.DataFrame`` whose rows have the columns
``pattern, value, lo, hi, target, passed, tolerance`` (``value``: the model's median
statistic, ``lo``/``hi``: its 5-95% band, ``target``: the historical value or the
expected sign, ``tolerance``: the pass rule in words) and optionally ``years`` (e.g.
``"1962-1963"``, used to mark patterns in held-out years). Modules in this package
register patterns with :func:`register`; ``ottepel validate`` imports every module of
the package and runs them all (see :mod:`ottepel.analysis.validation.runner`).
"""

from __future__ import annotations

from collections.abc import Callable

PATTERNS: list[Callable] = []


def register(fn: Callable) -> Callable:
    """Add a pattern function to :data:`PATTERNS` (usable as a decorator)."""
    if fn not in PATTERNS:
        PATTERNS.append(fn)
    return fn
