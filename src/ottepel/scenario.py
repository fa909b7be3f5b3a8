"""Scenarios: TOML files validated by pydantic, compiled into decisions and parameters.

A scenario names its span, its weather and politics modes, parameter overrides and a
list of dated decisions. A counterfactual inherits another scenario and removes,
modifies or adds decisions::

    inherits = "khrushchev-1953"
    name = "no-virgin-lands"
    remove = ["virgin_lands_1954", "virgin_lands_1955"]
    [[modify]]
    id = "maize_1955"
    value = 5.0
    [[decision]]
    id = "extra"
    ...

Every validation error names the file, the line, the field and what is allowed
(:class:`ScenarioError`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .data import load_regions
from .decisions import CompiledDecision, Decisions, compile_lever
from .params import RuntimeParams, parameters_model, to_runtime

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$")


class ScenarioError(ValueError):
    """A scenario or parameter file is invalid; the message says where and why."""


class DecisionSpec(BaseModel):
    """One dated decision: a lever set to a value, with its sponsor and source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_.\-]+$")
    lever: str
    date: str = Field(description="YYYY-MM or YYYY-MM-DD")
    value: float | None = None
    by_region: dict[str, float] | None = None
    by_republic: dict[str, float] | None = None
    sponsor: str = "collective"
    source: str = Field(min_length=1)
    note: str = ""

    @field_validator("date")
    @classmethod
    def _date(cls, v: str) -> str:
        if not MONTH_RE.match(v):
            raise ValueError(f"date must look like YYYY-MM or YYYY-MM-DD, got {v!r}")
        return v


class ModifySpec(BaseModel):
    """A change to an inherited decision (re-date or re-size)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    date: str | None = None
    value: float | None = None
    scale: float | None = Field(None, ge=0, le=100)

    @field_validator("date")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        if v is not None and not MONTH_RE.match(v):
            raise ValueError(f"date must look like YYYY-MM or YYYY-MM-DD, got {v!r}")
        return v


class ScenarioSpec(BaseModel):
    """The TOML schema of a scenario file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_.\-]+$")
    title: str = ""
    description: str = ""
    inherits: str | None = None
    start: str | None = None
    end: str | None = None
    weather: Literal["historical", "stochastic"] | None = None
    politics: Literal["free", "pinned"] | None = None
    use_posterior: bool | None = None
    params: dict[str, dict[str, float]] = Field(default_factory=dict)
    decision: list[DecisionSpec] = Field(default_factory=list)
    remove: list[str] = Field(default_factory=list)
    modify: list[ModifySpec] = Field(default_factory=list)

    @field_validator("start", "end")
    @classmethod
    def _month(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^\d{4}-(0[1-9]|1[0-2])$", v):
            raise ValueError(f"must look like YYYY-MM, got {v!r}")
        return v


@dataclass(frozen=True)
class Scenario:
    """A validated, compiled scenario ready to simulate.

    Attributes:
        name, title, description: identification.
        path: the file it came from.
        months: (months,) datetime64[M] simulated.
        weather: ``historical`` or ``stochastic``.
        politics: ``free`` or ``pinned``.
        decisions: the compiled schedule.
        params: runtime parameters.
        param_overrides: the flat overrides applied (for records).
        posterior: the posterior file whose values are the parameter defaults ("" if none).
    """

    name: str
    title: str
    description: str
    path: str
    months: np.ndarray
    weather: str
    politics: str
    decisions: Decisions
    params: RuntimeParams
    param_overrides: dict[str, float]
    posterior: str = ""

    def with_params(self, params: RuntimeParams) -> Scenario:
        """The same scenario with other runtime parameters (calibration draws)."""
        from dataclasses import replace

        return replace(self, params=params)


def packaged_scenarios() -> list[str]:
    """Names of the scenarios shipped with the package."""
    root = resources.files("ottepel").joinpath("scenarios")
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".toml"))


def _resolve(ref: str, base_dir: Path | None) -> Path:
    if ref in packaged_scenarios():
        with resources.as_file(resources.files("ottepel").joinpath(f"scenarios/{ref}.toml")) as p:
            return Path(p)
    path = Path(ref)
    if not path.is_absolute() and base_dir is not None and not path.exists():
        path = base_dir / ref
    if path.suffix != ".toml" or not path.is_file():
        known = ", ".join(packaged_scenarios())
        raise ScenarioError(
            f"{ref}: no such scenario; give a packaged name ({known}) or a path to a .toml file"
        )
    return path


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """Best-effort line number of a pydantic error location in TOML text."""
    lines = text.splitlines()
    start = 0
    if loc and isinstance(loc[0], str) and len(loc) > 1 and isinstance(loc[1], int):
        header = re.compile(rf"^\s*\[\[\s*{re.escape(loc[0])}\s*\]\]")
        hits = [i for i, ln in enumerate(lines) if header.match(ln)]
        if loc[1] < len(hits):
            start = hits[loc[1]]
            keys = [k for k in loc[2:] if isinstance(k, str)]
            if not keys:
                return start + 1
            for i in range(start, len(lines)):
                if i > start and lines[i].lstrip().startswith("["):
                    break
                if re.match(rf"^\s*{re.escape(keys[0])}\s*=", lines[i]):
                    return i + 1
            return start + 1
    keys = [k for k in loc if isinstance(k, str)]
    for key in reversed(keys):
        for i, ln in enumerate(lines):
            if re.match(rf"^\s*(\[+\s*)?{re.escape(key)}\b", ln.lstrip()) or re.match(
                rf"^\s*{re.escape(key)}\s*=", ln
            ):
                return i + 1
    return None


def _fmt_validation(path: Path, text: str, err: ValidationError) -> ScenarioError:
    msgs = []
    for e in err.errors()[:5]:
        loc = tuple(e["loc"])
        field = ".".join(str(x) for x in loc) or "(top level)"
        line = _line_of(text, loc)
        where = f"{path}:{line}" if line else str(path)
        allowed = e["msg"]
        if e["type"] == "extra_forbidden":
            allowed = "unknown field; remove it or check its spelling"
        msgs.append(f"{where}: field '{field}': {allowed}")
    return ScenarioError("\n".join(msgs))


def read_spec(path: Path) -> tuple[ScenarioSpec, str]:
    """Parse and validate one TOML file (no inheritance)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read the file ({exc})") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML ({exc})") from None
    try:
        return ScenarioSpec.model_validate(raw), text
    except ValidationError as err:
        raise _fmt_validation(path, text, err) from None


def _merge(chain: list[tuple[ScenarioSpec, Path, str]]) -> tuple[dict, list[tuple[DecisionSpec, Path, str]]]:
    """Merge an inheritance chain (base first) into settings and decisions."""
    settings: dict[str, Any] = {"params": {}}
    decisions: dict[str, tuple[DecisionSpec, Path, str]] = {}
    for spec, path, text in chain:
        for key in ("start", "end", "weather", "politics", "use_posterior"):
            if getattr(spec, key) is not None:
                settings[key] = getattr(spec, key)
        for group, vals in spec.params.items():
            settings["params"].setdefault(group, {}).update(vals)
        for rid in spec.remove:
            if rid not in decisions:
                line = _line_of(text, ("remove",))
                raise ScenarioError(
                    f"{path}:{line}: field 'remove': no inherited decision with id {rid!r}"
                )
            del decisions[rid]
        for i, mod in enumerate(spec.modify):
            if mod.id not in decisions:
                line = _line_of(text, ("modify", i, "id"))
                raise ScenarioError(
                    f"{path}:{line}: field 'modify.{i}.id': no inherited decision with id {mod.id!r}"
                )
            old, opath, otext = decisions[mod.id]
            upd: dict[str, Any] = {}
            if mod.date is not None:
                upd["date"] = mod.date
            if mod.value is not None:
                upd["value"] = mod.value
            if mod.scale is not None:
                if old.value is not None:
                    upd["value"] = old.value * mod.scale
                if old.by_region:
                    upd["by_region"] = {k: v * mod.scale for k, v in old.by_region.items()}
                if old.by_republic:
                    upd["by_republic"] = {k: v * mod.scale for k, v in old.by_republic.items()}
            decisions[mod.id] = (old.model_copy(update=upd), path, text)
        for i, d in enumerate(spec.decision):
            if d.id in decisions and decisions[d.id][1] == path:
                line = _line_of(text, ("decision", i, "id"))
                raise ScenarioError(f"{path}:{line}: field 'decision.{i}.id': duplicate id {d.id!r}")
            decisions[d.id] = (d, path, text)
    return settings, list(decisions.values())


def _compile_decisions(
    items: list[tuple[DecisionSpec, Path, str]], months: np.ndarray
) -> Decisions:
    from .mechanisms import LEVERS

    regions = load_regions()
    entries: dict[str, list[tuple[int, np.ndarray | float]]] = {k: [] for k in LEVERS}
    schedule = []
    first, last = months[0], months[-1]
    for d, path, text in sorted(items, key=lambda t: t[0].date):
        loc_line = _find_decision_line(text, d.id)
        where = f"{path}:{loc_line}" if loc_line else str(path)
        if d.lever not in LEVERS:
            raise ScenarioError(
                f"{where}: field 'lever' of decision {d.id!r}: unknown lever {d.lever!r}; "
                f"allowed: {', '.join(sorted(LEVERS))}"
            )
        lever = LEVERS[d.lever]
        given = [x is not None for x in (d.value, d.by_region, d.by_republic)]
        if sum(given) != 1:
            raise ScenarioError(
                f"{where}: decision {d.id!r}: give exactly one of 'value', 'by_region', 'by_republic'"
            )
        if not lever.regional and d.value is None:
            raise ScenarioError(
                f"{where}: decision {d.id!r}: lever {d.lever!r} is national; use 'value'"
            )
        vals = [d.value] if d.value is not None else list((d.by_region or d.by_republic).values())
        for v in vals:
            if not (np.isfinite(v) and lever.lo <= v <= lever.hi):
                raise ScenarioError(
                    f"{where}: field 'value' of decision {d.id!r}: {v} is outside the allowed "
                    f"range [{lever.lo}, {lever.hi}] {lever.unit} of lever {d.lever!r}"
                )
        if lever.regional:
            arr = np.zeros(regions.n) if d.value is None else np.full(regions.n, d.value)
            for code, v in (d.by_region or {}).items():
                if code not in set(regions.code):
                    raise ScenarioError(
                        f"{where}: field 'by_region' of decision {d.id!r}: unknown region {code!r}; "
                        "allowed: the codes in regions_1957.csv (e.g. KZ01, RU54)"
                    )
                arr[regions.index_of(code)] = v
            for rep, v in (d.by_republic or {}).items():
                mask = regions.republic == rep
                if not mask.any():
                    raise ScenarioError(
                        f"{where}: field 'by_republic' of decision {d.id!r}: unknown republic {rep!r}; "
                        f"allowed: {', '.join(sorted(set(regions.republic)))}"
                    )
                arr[mask] = v
            value: np.ndarray | float = arr
        else:
            value = float(d.value)
        month = np.datetime64(d.date[:7], "M")
        if month > last:
            continue
        m = int(max(0, (month - first).astype(int)))
        entries[d.lever].append((m, value))
        total = float(np.sum(value))
        schedule.append(
            CompiledDecision(d.id, d.lever, m, int(d.date[:4]), d.sponsor, d.source, total)
        )
    values = {
        name: compile_lever(lv, months, regions.n, entries[name]) for name, lv in LEVERS.items()
    }
    return Decisions(months=months, values=values, schedule=tuple(schedule))


def _find_decision_line(text: str, did: str) -> int | None:
    for i, ln in enumerate(text.splitlines()):
        if re.match(rf"^\s*id\s*=\s*[\"']{re.escape(did)}[\"']", ln):
            return i + 1
    return None


def posterior_defaults(path: str | Path | None = None) -> tuple[dict[str, dict[str, float]], str]:
    """Parameter defaults from a posterior file (``data/posterior.toml`` unless given).

    Only the ``[params.<group>]`` tables are read; values for parameters that no longer
    exist or that fall outside their declared range are skipped with a warning (the
    model changed since the calibration).

    Returns:
        ({group: {name: value}}, the file's path or "" when there is no file).
    """
    import warnings

    from .params import parameter_table

    if path is None:
        path = Path(str(resources.files("ottepel").joinpath("data/posterior.toml")))
    path = Path(path)
    if not path.is_file():
        return {}, ""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read the posterior file ({exc})") from None
    known = {r["path"]: r for r in parameter_table()}
    out: dict[str, dict[str, float]] = {}
    for group, vals in doc.get("params", {}).items():
        for name, v in vals.items():
            r = known.get(f"{group}.{name}")
            if r is None or not (r["lo"] <= v <= r["hi"]):
                warnings.warn(f"{path}: skipping {group}.{name} = {v} (unknown parameter or "
                              "outside its range; rerun `ottepel calibrate`)", stacklevel=2)
                continue
            out.setdefault(group, {})[name] = float(v)
    return out, str(path)


def _posterior_for(posterior: bool | str | Path | None, scenario_default: bool
                   ) -> tuple[dict[str, dict[str, float]], str]:
    if posterior is None:
        posterior = scenario_default
    if posterior is False:
        return {}, ""
    if posterior is True:
        return posterior_defaults()
    if not Path(posterior).is_file():
        raise ScenarioError(f"{posterior}: no such posterior file")
    return posterior_defaults(posterior)


def load_scenario(ref: str | Path = "khrushchev-1953", *, base_dir: Path | None = None,
                  posterior: bool | str | Path | None = None) -> Scenario:
    """Load, validate and compile a scenario by packaged name or path.

    Parameter values come, by increasing priority, from the declared defaults, the
    calibrated posterior (``data/posterior.toml``, written by ``ottepel calibrate``) and
    the scenario's own ``[params]`` tables. ``posterior=False`` (CLI ``--priors``) or
    ``use_posterior = false`` in the scenario skips the posterior; a path uses that file.

    Raises:
        ScenarioError: with file, line, field and what is allowed.
    """
    chain: list[tuple[ScenarioSpec, Path, str]] = []
    path = _resolve(str(ref), base_dir)
    seen = set()
    while True:
        if path in seen:
            raise ScenarioError(f"{path}: field 'inherits': inheritance loop")
        seen.add(path)
        spec, text = read_spec(path)
        chain.append((spec, path, text))
        if spec.inherits is None:
            break
        try:
            path = _resolve(spec.inherits, path.parent)
        except ScenarioError as exc:
            line = _line_of(text, ("inherits",))
            raise ScenarioError(f"{chain[-1][1]}:{line}: field 'inherits': {exc}") from None
    chain.reverse()
    settings, items = _merge(chain)
    top, top_path, top_text = chain[-1]
    start = settings.get("start", "1953-03")
    end = settings.get("end", "1964-12")
    if np.datetime64(end, "M") < np.datetime64(start, "M"):
        raise ScenarioError(f"{top_path}: field 'end': {end} is before start {start}")
    if np.datetime64(end, "M") > np.datetime64("1975-12", "M") or np.datetime64(start, "M") < np.datetime64("1953-01", "M"):
        raise ScenarioError(f"{top_path}: fields 'start'/'end': allowed span is 1953-01 to 1975-12")
    months = np.arange(np.datetime64(start, "M"), np.datetime64(end, "M") + 1)
    post, post_path = _posterior_for(posterior, settings.get("use_posterior", True))
    merged = {g: {**post.get(g, {}), **settings["params"].get(g, {})}
              for g in {*post, *settings["params"]}}
    model = parameters_model()
    try:
        pmodel = model.model_validate(merged)
    except ValidationError as err:
        raise _fmt_validation(top_path, top_text, err) from None
    flat = {f"{g}.{k}": v for g, vals in settings["params"].items() for k, v in vals.items()}
    decisions = _compile_decisions(items, months)
    return Scenario(
        name=top.name,
        title=top.title,
        description=top.description,
        path=str(top_path),
        months=months,
        weather=settings.get("weather", "historical"),
        politics=settings.get("politics", "free"),
        decisions=decisions,
        params=to_runtime(pmodel),
        param_overrides=flat,
        posterior=post_path,
    )
