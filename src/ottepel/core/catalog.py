"""What the model contains, read off its mechanisms: parameters and output variables.

It sits above ``mechanisms`` (which import only the primitives: state, params, decisions),
so the tables are built without import circles.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ottepel.core import mechanisms
from ottepel.core.params import ParamGroup


def param_groups() -> dict[str, type[ParamGroup]]:
    """Mechanism name -> its parameter group."""
    return mechanisms.PARAM_GROUPS


def parameters_model() -> type[BaseModel]:
    """Build the top-level pydantic model with one field per mechanism group."""
    from pydantic import create_model

    fields = {name: (cls, Field(default_factory=cls)) for name, cls in param_groups().items()}
    return create_model(
        "Parameters", __config__=ConfigDict(frozen=True, extra="forbid"), **fields
    )


def parameter_table() -> list[dict[str, Any]]:
    """Every parameter with its default, range, unit, prior and source (for docs/calibration)."""
    rows = []
    for group, cls in param_groups().items():
        for name, f in cls.model_fields.items():
            extra = f.json_schema_extra or {}
            rows.append(
                {
                    "path": f"{group}.{name}",
                    "default": f.default,
                    "lo": extra.get("lo"),
                    "hi": extra.get("hi"),
                    "unit": extra.get("unit"),
                    "prior": extra.get("prior"),
                    "source": extra.get("source"),
                    "description": f.description,
                    "run_axis": cls.RUN_AXIS,
                }
            )
    return rows


def national_catalog() -> dict[str, tuple[str, str, str]]:
    """All national output variables: name -> (unit, cadence, description)."""
    out: dict[str, tuple[str, str, str]] = {}
    for mech in mechanisms.ORDER:
        out.update(getattr(mech, "NATIONAL", {}))
    return out


def regional_catalog() -> dict[str, tuple[str, str]]:
    """All regional output variables: name -> (unit, description)."""
    out: dict[str, tuple[str, str]] = {}
    for mech in mechanisms.ORDER:
        out.update(getattr(mech, "REGIONAL", {}))
    return out
