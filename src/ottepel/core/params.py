"""Parameters as data: a pydantic model with a unit, a prior and a source for each.

Each mechanism module defines its own ``Params`` (a :class:`ParamGroup`) next to its
equations; :class:`Parameters` gathers them. A scenario TOML may override any value
under ``[params.<group>]``. At run time the validated model is turned into a
:class:`RuntimeParams` tree of floats, where any value may instead be a ``(runs,)``
array (calibration and sensitivity draws step as one ensemble).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field


def param(
    default: float,
    lo: float,
    hi: float,
    unit: str,
    source: str,
    prior: str = "uniform",
    description: str = "",
) -> Any:
    """A parameter field with its allowed range, unit, prior shape and source.

    Args:
        default: the value used unless a scenario or a posterior overrides it.
        lo, hi: the allowed range, which is also the prior's support.
        unit: physical unit, e.g. ``"t/ha"`` or ``"1"`` for dimensionless.
        source: where the value comes from (publication, data row or calibration).
        prior: ``uniform`` or ``loguniform`` over [lo, hi].
        description: what the parameter means.
    """
    if prior not in ("uniform", "loguniform") or (prior == "loguniform" and lo <= 0):
        raise ValueError(f"prior must be 'uniform' or 'loguniform' (lo > 0), got {prior!r} "
                         f"on [{lo}, {hi}]")
    return Field(
        default,
        ge=lo,
        le=hi,
        description=description,
        json_schema_extra={"unit": unit, "source": source, "prior": prior, "lo": lo, "hi": hi},
    )


class ParamGroup(BaseModel):
    """Base class for one mechanism's parameters: frozen, no unknown fields.

    ``RUN_AXIS`` says whether the mechanism accepts a (runs,) array for each parameter
    (calibration and sensitivity draws stepped as one ensemble); groups that do not are
    sampled one run at a time and left out of batched screening.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    RUN_AXIS: ClassVar[bool] = True


class RuntimeParams:
    """Immutable attribute tree of parameter values (floats or (runs,) arrays)."""

    __slots__ = ("_values",)

    def __init__(self, values: dict[str, Any]):
        object.__setattr__(self, "_values", dict(values))

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("RuntimeParams is immutable")

    def __reduce__(self):  # pickling for Dask workers (avoid __getattr__ recursion)
        return (RuntimeParams, (self._values,))

    def replace(self, path: str, value: Any) -> RuntimeParams:
        """A copy with the dotted ``path`` (``group.name``) set to ``value``."""
        head, _, rest = path.partition(".")
        if head not in self._values:
            raise KeyError(path)
        new = dict(self._values)
        new[head] = new[head].replace(rest, value) if rest else value
        return RuntimeParams(new)

    def subset(self, index: np.ndarray) -> RuntimeParams:
        """Select runs from any run-axis values (for chunking)."""
        out = {}
        for k, v in self._values.items():
            if isinstance(v, RuntimeParams):
                out[k] = v.subset(index)
            elif isinstance(v, np.ndarray) and v.ndim == 1:
                out[k] = v[index]
            else:
                out[k] = v
        return RuntimeParams(out)

    def to_dict(self) -> dict[str, Any]:
        """Nested plain dict."""
        return {
            k: v.to_dict() if isinstance(v, RuntimeParams) else v for k, v in self._values.items()
        }


def to_runtime(model: BaseModel, overrides: dict[str, Any] | None = None) -> RuntimeParams:
    """Convert a validated Parameters model (plus run-axis overrides) to RuntimeParams."""

    def conv(m: BaseModel) -> RuntimeParams:
        vals = {}
        for name in type(m).model_fields:
            v = getattr(m, name)
            vals[name] = conv(v) if isinstance(v, BaseModel) else v
        return RuntimeParams(vals)

    rp = conv(model)
    for path, value in (overrides or {}).items():
        rp = rp.replace(path, np.asarray(value, dtype=float) if np.ndim(value) else float(value))
    return rp
