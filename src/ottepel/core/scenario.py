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

Every validation error is a :class:`ScenarioError` whose message reads
``<file>:<line>: field '<field>': <what is wrong>; allowed: <what is allowed>``
(docs/odd/reliability.md lists the checks). Validation happens in three passes:
the file on its own (TOML syntax, types, unknown keys, dates, levers, regions, ranges,
parameters), the inheritance chain (``inherits``, ``remove``, ``modify``), and the
values that ``modify`` produces. A parameter file (:func:`load_param_file`) holds
``[params.<group>]`` tables only and is checked the same way.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ottepel.core.catalog import parameters_model
from ottepel.core.decisions import CompiledDecision, Decisions, compile_lever
from ottepel.core.params import RuntimeParams, to_runtime
from ottepel.core.tomlpos import TomlLines
from ottepel.data import load_regions

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DATE_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$")
SPAN = ("1953-01", "1975-12")  # the months a scenario (and its decisions) may cover
MAX_FILE_BYTES = 2_000_000  # the packaged historical scenario is about 40 kB
MAX_DECISIONS = 5_000
MAX_INHERITANCE = 16
_ID = r"^[A-Za-z0-9_.\-]+$"
_ID_TEXT = 'a string of 1-80 letters, digits, "_", "." or "-"'
_DATE_TEXT = f'a quoted date "YYYY-MM" or "YYYY-MM-DD" from {SPAN[0]} to {SPAN[1]}'
_MONTH_TEXT = f'a quoted month "YYYY-MM" from {SPAN[0]} to {SPAN[1]}'


class ScenarioError(ValueError):
    """A scenario or parameter file is invalid; the message says where and why.

    Attributes:
        path: the file (or the reference that could not be resolved).
        line: 1-based line of the problem, None when it concerns the whole file.
        field: the field, e.g. ``decision[3].value``.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 field: str | None = None):
        super().__init__(message)
        self.path, self.line, self.field = path, line, field


def _problem(path: Path | str, line: int | None, field: str, what: str, allowed: str) -> str:
    where = f"{path}:{line}" if line is not None else f"{path}"
    return f"{where}: field '{field}': {what}; allowed: {allowed}"


def _error(path: Path | str, line: int | None, field: str, what: str,
           allowed: str) -> ScenarioError:
    return ScenarioError(_problem(path, line, field, what, allowed), str(path), line, field)


def field_name(loc: tuple) -> str:
    """``("decision", 3, "value")`` -> ``decision[3].value``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


# --------------------------------------------------------------------------- schema
def _check_date(v: str) -> str:
    if not DATE_RE.match(v):
        raise ValueError(f"{v!r} is not a date")
    try:
        day = dt.date.fromisoformat(v if len(v) == 10 else v + "-01")
    except ValueError:
        raise ValueError(f"{v!r} is not a calendar date") from None
    if not SPAN[0] <= day.isoformat()[:7] <= SPAN[1]:
        raise ValueError(f"{v} is outside the simulated span")
    return v


def _toml_date(v: Any) -> Any:
    """Accept an unquoted TOML date (``1954-02-23``) as its ISO string."""
    return v.isoformat() if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else v


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class DecisionSpec(_Strict):
    """One dated decision: a lever set to a value, with its sponsor and source."""

    id: str = Field(min_length=1, max_length=80, pattern=_ID)
    lever: str
    date: str = Field(description="YYYY-MM or YYYY-MM-DD")
    value: float | None = None
    by_region: dict[str, float] | None = None
    by_republic: dict[str, float] | None = None
    sponsor: str = "collective"
    source: str = Field(min_length=1)
    note: str = ""

    _as_text = field_validator("date", mode="before")(_toml_date)

    @field_validator("date")
    @classmethod
    def _date(cls, v: str) -> str:
        return _check_date(v)


class ModifySpec(_Strict):
    """A change to an inherited decision (re-date or re-size)."""

    id: str = Field(min_length=1)
    date: str | None = None
    value: float | None = None
    scale: float | None = Field(None, ge=0, le=100)

    _as_text = field_validator("date", mode="before")(_toml_date)

    @field_validator("date")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        return None if v is None else _check_date(v)


class ScenarioSpec(_Strict):
    """The TOML schema of a scenario file."""

    name: str = Field(min_length=1, max_length=80, pattern=_ID)
    title: str = ""
    description: str = ""
    inherits: str | None = Field(None, min_length=1)
    start: str | None = None
    end: str | None = None
    weather: Literal["historical", "stochastic"] | None = None
    politics: Literal["free", "pinned"] | None = None
    use_posterior: bool | None = None
    params: dict[str, dict[str, float]] = Field(default_factory=dict)
    decision: list[DecisionSpec] = Field(default_factory=list, max_length=MAX_DECISIONS)
    remove: list[str] = Field(default_factory=list)
    modify: list[ModifySpec] = Field(default_factory=list)

    @field_validator("start", "end")
    @classmethod
    def _month(cls, v: str | None) -> str | None:
        if v is not None and not MONTH_RE.match(v):
            raise ValueError(f"{v!r} is not a month")
        if v is not None and not SPAN[0] <= v <= SPAN[1]:
            raise ValueError(f"{v} is outside the simulated span")
        return v


class ParamFileSpec(_Strict):
    """The TOML schema of a parameter file: ``[params.<group>]`` tables."""

    title: str = ""
    source: str = ""
    params: dict[str, dict[str, float]]


def _allowed_text(shape: tuple[str, ...]) -> str:
    from ottepel.core.mechanisms import PARAM_GROUPS

    groups = ", ".join(PARAM_GROUPS)
    table = {
        ("name",): _ID_TEXT,
        ("title",): "a string", ("description",): "a string", ("source",): "a string",
        ("inherits",): "a packaged scenario name (" + ", ".join(packaged_scenarios())
        + ") or a path to a .toml file (relative to this file)",
        ("start",): _MONTH_TEXT, ("end",): _MONTH_TEXT,
        ("weather",): '"historical" or "stochastic"', ("politics",): '"free" or "pinned"',
        ("params",): f"[params.<group>] tables of <name> = number; groups: {groups}",
        ("decision",): f"[[decision]] tables (at most {MAX_DECISIONS}) with fields "
        + ", ".join(DecisionSpec.model_fields),
        ("decision", "id"): _ID_TEXT + ", unique in the file",
        ("decision", "lever"): "a lever name: " + ", ".join(sorted(_levers())),
        ("decision", "date"): _DATE_TEXT,
        ("decision", "value"): "a finite number within the lever's range",
        ("decision", "by_region"): "a table of region code = number (codes of regions_1957.csv,"
        " e.g. KZ01 = 2.5)",
        ("decision", "by_republic"): "a table of republic = number, e.g. Kazakhstan = 2.5",
        ("decision", "sponsor"): "a string (the leader who took the decision)",
        ("decision", "source"): "a non-empty string (where the date and size come from)",
        ("decision", "note"): "a string",
        ("remove",): "an array of ids (strings) of inherited decisions",
        ("modify",): "[[modify]] tables with id and at least one of date, value, scale",
        ("modify", "id"): "the id (a string) of an inherited decision",
        ("modify", "date"): _DATE_TEXT,
        ("modify", "value"): "a finite number within the lever's range",
        ("modify", "scale"): "a finite number from 0 to 100 (multiplies the decision's values)",
    }
    if shape[:1] == ("params",) and len(shape) >= 2:
        return f"a table [params.{shape[1]}] of <name> = number" if len(shape) == 2 else \
            "a finite number (see `ottepel params` for each parameter's range)"
    for n in range(len(shape), 0, -1):
        if shape[:n] in table:
            return table[shape[:n]]
    return "the fields of a scenario: " + ", ".join(ScenarioSpec.model_fields)


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The pydantic model holding the last key of ``loc`` (for unknown-field errors)."""
    sub = {"decision": DecisionSpec, "modify": ModifySpec}
    keys = [k for k in loc[:-1] if isinstance(k, str)]
    if not keys:
        return model
    return sub.get(keys[0]) if len(keys) == 1 and model is ScenarioSpec else None


def _describe(e: dict, model: type[BaseModel]) -> tuple[str, str]:
    """(what is wrong, what is allowed) of one pydantic error."""
    loc = tuple(e["loc"])
    shape = tuple(k for k in loc if isinstance(k, str))
    kind = e["type"]
    if kind == "extra_forbidden":
        parent = _model_at(model, loc)
        allowed = ("one of " + ", ".join(parent.model_fields)) if parent else _allowed_text(shape)
        return "unknown field (check its spelling)", allowed
    if kind == "missing":
        return "missing (required)", _allowed_text(shape)
    msg = e["msg"].removeprefix("Value error, ")
    if kind != "value_error" and not isinstance(e.get("input"), dict | list):
        got = repr(e.get("input"))
        msg = f"{msg}, got {got[:60] + '...' if len(got) > 60 else got}"
    return msg, _allowed_text(shape)


def _format_validation(path: Path, lines: TomlLines, err: ValidationError,
                       model: type[BaseModel], raw: dict, prefix: tuple = ()) -> ScenarioError:
    errors = err.errors()
    msgs = []
    first: tuple[int | None, str] = (None, "")
    for e in errors[:5]:
        loc = prefix + tuple(e["loc"])
        what, allowed = _describe(e, model)
        line = lines.line_of(loc) if lines.lines else None
        name = field_name(loc)
        did = _decision_id(raw, loc)
        if did:
            what = f"{what} (decision {did!r})"
        msgs.append(_problem(path, line, name, what, allowed))
        first = first if first[1] else (line, name)
    if len(errors) > 5:
        msgs.append(f"{path}: ... and {len(errors) - 5} more problems")
    return ScenarioError("\n".join(msgs), str(path), first[0], first[1])


def _decision_id(raw: dict, loc: tuple) -> str | None:
    if len(loc) >= 2 and loc[0] in ("decision", "modify") and isinstance(loc[1], int):
        items = raw.get(loc[0])
        if isinstance(items, list) and loc[1] < len(items) and isinstance(items[loc[1]], dict):
            did = items[loc[1]].get("id")
            return did if isinstance(did, str) else None
    return None


# --------------------------------------------------------------------------- reading
def packaged_scenarios() -> list[str]:
    """Names of the scenarios shipped with the package."""
    root = resources.files("ottepel").joinpath("scenarios")
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".toml"))


def _resolve(ref: str, base_dir: Path | None) -> Path:
    if ref in packaged_scenarios():
        with resources.as_file(resources.files("ottepel").joinpath(f"scenarios/{ref}.toml")) as p:
            return Path(p).resolve()
    path = Path(ref)
    if not path.is_absolute() and base_dir is not None and not path.exists():
        path = base_dir / ref
    if path.suffix != ".toml" or not path.is_file():
        known = ", ".join(packaged_scenarios())
        reason = "not a .toml file" if path.suffix != ".toml" else "no such file"
        raise ScenarioError(
            f"{ref}: field '(scenario)': {reason}; allowed: a packaged scenario name ({known}) "
            "or a path to a .toml file", ref, None, "(scenario)")
    return path.resolve()


def _read_text(path: Path) -> tuple[str, TomlLines]:
    """The file's text (UTF-8, at most MAX_FILE_BYTES) and its key lines."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _error(path, None, "(file)", f"the file has {size:,} bytes",
                         f"at most {MAX_FILE_BYTES:,} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise _error(path, None, "(file)", f"cannot read the file ({exc.strerror or exc})",
                     "a readable file") from None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        lines = TomlLines(data.decode("utf-8", errors="replace"))
        raise _error(path, line, field_name(lines.path_at(line)),
                     f"byte 0x{data[exc.start]:02x} is not UTF-8 text",
                     "UTF-8 encoded text") from None
    lines = TomlLines(text)
    if not text.strip():
        raise _error(path, 1, "(file)", "the file is empty",
                     'a scenario with at least name = "..." (see the packaged khrushchev-1953)')
    return text, lines


_TOML_HINTS = {
    "Cannot overwrite a value": " (a key given twice in the same table)",
    "Invalid statement": " (not a key = value pair, a [table] header or a comment)",
    "Cannot declare ('decision',) twice": " ([[decision]] needs two brackets)",
}
_TOML_POS = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def _parse_toml(path: Path, text: str, lines: TomlLines) -> dict:
    try:
        return tomllib.loads(text)
    except RecursionError:
        line = 1 + max(range(len(lines.lines)),
                       key=lambda i: lines.lines[i].count("[") + lines.lines[i].count("{"))
        raise _error(path, line, field_name(lines.path_at(line)),
                     "arrays or tables nested too deeply to read",
                     "values nested a few levels at most") from None
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_POS.search(msg)
        line = int(m.group(1)) if m and m.group(1) else max(len(lines.lines), 1)
        what = _TOML_POS.sub("", msg)
        what += _TOML_HINTS.get(what, "")
        if m and m.group(2):
            what += f" at column {m.group(2)}"
        shown = lines.lines[line - 1].strip() if line <= len(lines.lines) else ""
        shown = shown if len(shown) <= 70 else shown[:67] + "..."
        raise _error(
            path, line, field_name(lines.path_at(line)),
            f"TOML syntax error: {what} (line {line} reads {shown!r})",
            'TOML syntax: key = value, strings in "quotes", [table] and [[array]] headers '
            "(https://toml.io)") from None


def read_spec(path: Path) -> tuple[ScenarioSpec, str]:
    """Parse and validate one scenario file on its own (no inheritance).

    Raises:
        ScenarioError: with file, line, field and what is allowed.
    """
    spec, text, _ = _read_spec(Path(path))
    return spec, text


def _read_validated(path: Path, model: type[BaseModel]) -> tuple[Any, str, TomlLines]:
    """Read, parse and validate a TOML file against a pydantic model (scenario or params)."""
    text, lines = _read_text(path)
    raw = _parse_toml(path, text, lines)
    try:
        return model.model_validate(raw), text, lines
    except ValidationError as err:
        raise _format_validation(path, lines, err, model, raw) from None


def _read_spec(path: Path) -> tuple[ScenarioSpec, str, TomlLines]:
    spec, text, lines = _read_validated(path, ScenarioSpec)
    _check_file(spec, path, lines)
    return spec, text, lines


# --------------------------------------------------------------------------- checks
def _levers() -> dict:
    from ottepel.core.mechanisms import LEVERS

    return LEVERS


def _check_params(params: dict[str, dict[str, float]], path: Path, lines: TomlLines,
                  prefix: tuple = ("params",)) -> None:
    """Every [params.<group>] <name> = value is a known parameter within its range."""
    from ottepel.core.mechanisms import PARAM_GROUPS

    for group, values in params.items():
        loc = prefix + (group,)
        if group not in PARAM_GROUPS:
            raise _error(path, lines.line_of(loc), field_name(loc), "unknown parameter group",
                         "one of " + ", ".join(PARAM_GROUPS))
        fields = PARAM_GROUPS[group].model_fields
        for name, v in values.items():
            loc = prefix + (group, name)
            if name not in fields:
                raise _error(path, lines.line_of(loc), field_name(loc),
                             f"unknown parameter of group {group!r}",
                             "one of " + ", ".join(fields))
            extra = fields[name].json_schema_extra or {}
            lo, hi, unit = extra.get("lo"), extra.get("hi"), extra.get("unit", "")
            if not (math.isfinite(v) and lo <= v <= hi):
                raise _error(path, lines.line_of(loc), field_name(loc), f"{v:g} is out of range",
                             f"a number from {lo:g} to {hi:g} {unit}".rstrip())


def _check_values(d: DecisionSpec, path: Path, lines: TomlLines, loc: tuple,
                  at: tuple | None = None, how: str = "") -> None:
    """A decision's lever exists, its value kind fits the lever, values are in range.

    ``at`` (a [[modify]] field) replaces the decision's own fields in error positions.
    """
    levers, regions = _levers(), load_regions()

    def err(sub: tuple, what: str, allowed: str) -> ScenarioError:
        floc = at if at is not None else loc + sub
        return _error(path, lines.line_of(floc), field_name(floc), what, allowed)

    if d.lever not in levers:
        raise err(("lever",), f"unknown lever {d.lever!r} (decision {d.id!r})",
                  "one of " + ", ".join(sorted(levers)))
    lever = levers[d.lever]
    given = [k for k in ("value", "by_region", "by_republic") if getattr(d, k) is not None]
    if len(given) != 1:
        raise err((), f"decision {d.id!r} gives {' and '.join(given) or 'none of them'}",
                  "exactly one of value, by_region, by_republic")
    key = given[0]
    if not lever.regional and key != "value":
        raise err((key,), f"lever {d.lever!r} is national (decision {d.id!r})",
                  "value = <number>")
    items = {None: d.value} if key == "value" else getattr(d, key)
    known = set(regions.code) if key == "by_region" else set(regions.republic)
    what = "region code" if key == "by_region" else "republic"
    for name, v in items.items():
        sub = (key,) + ((name,) if name is not None else ())
        if name is not None and name not in known:
            sample = sorted(known)[:8] if key == "by_region" else sorted(known)
            raise err(sub, f"unknown {what} {name!r} (decision {d.id!r})",
                      f"a {what} of regions_1957.csv: {', '.join(sample)}"
                      + (", ..." if key == "by_region" else ""))
        if not (math.isfinite(v) and lever.lo <= v <= lever.hi):
            raise err(sub, f"{v:g}{how} is out of range (decision {d.id!r}, lever {d.lever!r})",
                      f"a number from {lever.lo:g} to {lever.hi:g} {lever.unit}")


def _check_file(spec: ScenarioSpec, path: Path, lines: TomlLines) -> None:
    """Checks that need no inherited scenario."""
    _check_params(spec.params, path, lines)
    seen: dict[str, int] = {}
    for i, d in enumerate(spec.decision):
        loc = ("decision", i)
        if d.id in seen:
            raise _error(path, lines.line_of(loc + ("id",)), field_name(loc + ("id",)),
                         f"duplicate id {d.id!r} (first at decision[{seen[d.id]}])",
                         "ids unique within a file")
        seen[d.id] = i
        _check_values(d, path, lines, loc)
    for i, rid in enumerate(spec.remove):
        if rid in spec.remove[:i]:
            raise _error(path, _remove_line(lines, rid), f"remove[{i}]",
                         f"{rid!r} is listed twice", "each inherited id once")
    for i, mod in enumerate(spec.modify):
        loc = ("modify", i)
        if mod.date is None and mod.value is None and mod.scale is None:
            raise _error(path, lines.line_of(loc), field_name(loc),
                         f"nothing to change in decision {mod.id!r}",
                         "at least one of date, value, scale")
        if mod.value is not None and mod.scale is not None:
            raise _error(path, lines.line_of(loc + ("scale",)), field_name(loc + ("scale",)),
                         f"both value and scale given for decision {mod.id!r}",
                         "either value or scale")
    if (spec.remove or spec.modify) and spec.inherits is None:
        key = "remove" if spec.remove else "modify"
        raise _error(path, lines.line_of((key,)), key, "nothing is inherited to change",
                     f"{key} only with inherits = <scenario>")
    if spec.start and spec.end and spec.end < spec.start:
        raise _error(path, lines.line_of(("end",)), "end",
                     f"{spec.end} is before start {spec.start}", f"a month from start to {SPAN[1]}")


def _remove_line(lines: TomlLines, rid: str) -> int:
    start = lines.line_of(("remove",))
    return lines.line_of_text(f'"{rid}"', start) or lines.line_of_text(f"'{rid}'", start) or start


# --------------------------------------------------------------------------- merging
@dataclass(frozen=True)
class _Origin:
    """Where a decision (or its last modification) was written."""

    path: Path
    lines: TomlLines
    loc: tuple


def _merge(chain: list[tuple[ScenarioSpec, Path, TomlLines]]) -> tuple[dict, list]:
    """Merge an inheritance chain (base first) into settings and decisions."""
    settings: dict[str, Any] = {"params": {}}
    where: dict[str, _Origin] = {}
    decisions: dict[str, tuple[DecisionSpec, _Origin]] = {}
    for spec, path, lines in chain:
        for key in ("start", "end", "weather", "politics", "use_posterior"):
            if getattr(spec, key) is not None:
                settings[key] = getattr(spec, key)
                where[key] = _Origin(path, lines, (key,))
        for group, vals in spec.params.items():
            settings["params"].setdefault(group, {}).update(vals)
        for i, rid in enumerate(spec.remove):
            if rid not in decisions:
                raise _error(path, _remove_line(lines, rid), f"remove[{i}]",
                             f"no inherited decision with id {rid!r}",
                             _inherited_ids(decisions))
            del decisions[rid]
        for i, mod in enumerate(spec.modify):
            decisions[mod.id] = _modify(decisions, mod, _Origin(path, lines, ("modify", i)))
        for i, d in enumerate(spec.decision):
            decisions[d.id] = (d, _Origin(path, lines, ("decision", i)))
    start, end = settings.get("start", "1953-03"), settings.get("end", "1964-12")
    if end < start:
        o = where.get("end") or where["start"]
        raise _error(o.path, o.lines.line_of(o.loc), o.loc[0],
                     f"the scenario would run from {start} to {end}",
                     f"end not before start ({start})")
    return settings, list(decisions.values())


def _inherited_ids(decisions: dict) -> str:
    ids = sorted(decisions)
    shown = ", ".join(ids[:12]) + (f", ... ({len(ids)} in all)" if len(ids) > 12 else "")
    return f"an id of an inherited decision: {shown}" if ids else "none (nothing inherited)"


def _modify(decisions: dict, mod: ModifySpec, origin: _Origin) -> tuple[DecisionSpec, _Origin]:
    """Apply one [[modify]] entry; re-check the values it produces."""
    path, lines, loc = origin.path, origin.lines, origin.loc
    if mod.id not in decisions:
        raise _error(path, lines.line_of(loc + ("id",)), field_name(loc + ("id",)),
                     f"no inherited decision with id {mod.id!r}", _inherited_ids(decisions))
    old = decisions[mod.id][0]
    upd: dict[str, Any] = {}
    if mod.date is not None:
        upd["date"] = mod.date
    if mod.value is not None:
        if old.value is None:
            raise _error(path, lines.line_of(loc + ("value",)), field_name(loc + ("value",)),
                         f"decision {mod.id!r} sets values by region or republic",
                         "scale (multiplies every region's value) or date")
        upd["value"] = mod.value
    if mod.scale is not None:
        for key in ("value", "by_region", "by_republic"):
            v = getattr(old, key)
            if v is not None:
                upd[key] = v * mod.scale if key == "value" else {
                    k: x * mod.scale for k, x in v.items()}
    new = old.model_copy(update=upd)
    if mod.scale is not None:
        _check_values(new, path, lines, loc, loc + ("scale",), f" after scale {mod.scale:g}")
    elif mod.value is not None:
        _check_values(new, path, lines, loc, loc + ("value",))
    return new, origin


# --------------------------------------------------------------------------- compiling
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
        return replace(self, params=params)


def _compile_decisions(items: list[tuple[DecisionSpec, _Origin]], months: np.ndarray) -> Decisions:
    levers, regions = _levers(), load_regions()
    entries: dict[str, list[tuple[int, np.ndarray | float]]] = {k: [] for k in levers}
    schedule = []
    first, last = months[0], months[-1]
    for d, _ in sorted(items, key=lambda t: t[0].date):
        lever = levers[d.lever]
        if lever.regional:
            value: np.ndarray | float = np.full(regions.n, d.value if d.value is not None else 0.0)
            for code, v in (d.by_region or {}).items():
                value[regions.index_of(code)] = v
            for rep, v in (d.by_republic or {}).items():
                value[regions.republic == rep] = v
        else:
            value = float(d.value)
        month = np.datetime64(d.date[:7], "M")
        if month > last:
            continue
        m = int(max(0, (month - first).astype(int)))
        entries[d.lever].append((m, value))
        schedule.append(CompiledDecision(d.id, d.lever, m, int(d.date[:4]), d.sponsor, d.source,
                                         float(np.sum(value))))
    values = {name: compile_lever(lv, months, regions.n, entries[name])
              for name, lv in levers.items()}
    return Decisions(months=months, values=values, schedule=tuple(schedule), levers=_levers())


def _chain(ref: str | Path, base_dir: Path | None) -> list[tuple[ScenarioSpec, Path, TomlLines]]:
    """The inheritance chain of a scenario, base first."""
    chain: list[tuple[ScenarioSpec, Path, TomlLines]] = []
    path = _resolve(str(ref), base_dir)
    while True:
        try:
            spec, _, lines = _read_spec(path)
        except ScenarioError as exc:
            if chain:
                child, lines = chain[-1][1], chain[-1][2]
                exc.args = (f"{exc}\n  (inherited by {child}:{lines.line_of(('inherits',))})",)
            raise
        chain.append((spec, path, lines))
        if spec.inherits is None:
            return chain[::-1]
        line = chain[-1][2].line_of(("inherits",))
        try:
            path = _resolve(spec.inherits, path.parent)
        except ScenarioError as exc:
            raise _error(chain[-1][1], line, "inherits", str(exc).split("field '(scenario)': ")[-1]
                         .split("; allowed")[0] + f" ({spec.inherits!r})",
                         _allowed_text(("inherits",))) from None
        if path in [p for _, p, _ in chain]:
            loop = " -> ".join(p.name for _, p, _ in chain) + f" -> {path.name}"
            raise _error(chain[-1][1], line, "inherits", f"inheritance loop {loop}",
                         "a chain of scenarios that ends in one without inherits")
        if len(chain) >= MAX_INHERITANCE:
            raise _error(chain[-1][1], line, "inherits", "inheritance chain too deep",
                         f"at most {MAX_INHERITANCE} scenarios in a chain")


def _months(settings: dict) -> np.ndarray:
    start, end = settings.get("start", "1953-03"), settings.get("end", "1964-12")
    return np.arange(np.datetime64(start, "M"), np.datetime64(end, "M") + 1)


def _runtime_params(overrides: dict[str, dict[str, float]], path: Path) -> RuntimeParams:
    try:
        return to_runtime(parameters_model().model_validate(overrides))
    except ValidationError as err:  # already checked per file; kept as a safety net
        raise _error(path, None, "params", str(err).splitlines()[0],
                     "see `ottepel params`") from None


def posterior_defaults(path: str | Path | None = None) -> tuple[dict[str, dict[str, float]], str]:
    """Parameter defaults from a posterior file (``data/posterior.toml`` unless given).

    Only the ``[params.<group>]`` tables are read; values for parameters that no longer
    exist or that fall outside their declared range are skipped with a warning (the
    model changed since the calibration).

    Returns:
        ({group: {name: value}}, the file's path or "" when there is no file).
    """
    import warnings

    from ottepel.core.catalog import parameter_table

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
    chain = _chain(ref, base_dir)
    settings, items = _merge(chain)
    top, top_path, _ = chain[-1]
    months = _months(settings)
    flat = {f"{g}.{k}": v for g, vals in settings["params"].items() for k, v in vals.items()}
    post, post_path = _posterior_for(posterior, settings.get("use_posterior", True))
    merged = {g: {**post.get(g, {}), **settings["params"].get(g, {})}
              for g in {*post, *settings["params"]}}
    return Scenario(
        name=top.name,
        title=top.title,
        description=top.description,
        path=str(top_path),
        months=months,
        weather=settings.get("weather", "historical"),
        politics=settings.get("politics", "free"),
        decisions=_compile_decisions(items, months),
        params=_runtime_params(merged, top_path),
        param_overrides=flat,
        posterior=post_path,
    )


def load_param_file(path: str | Path) -> dict[str, dict[str, float]]:
    """Read a parameter file: ``[params.<group>]`` tables of ``<name> = number``.

    Raises:
        ScenarioError: with file, line, field and what is allowed.
    """
    path = Path(path)
    if path.suffix != ".toml" or not path.is_file():
        raise _error(path, None, "(parameter file)", "no such .toml file",
                     "a path to a .toml file of [params.<group>] tables")
    spec, _, lines = _read_validated(path, ParamFileSpec)
    _check_params(spec.params, path, lines)
    return spec.params


def with_param_file(scenario: Scenario, path: str | Path) -> Scenario:
    """The scenario with a parameter file's values on top of its own overrides."""
    extra = load_param_file(path)
    merged: dict[str, dict[str, float]] = {}
    for key, v in scenario.param_overrides.items():
        group, name = key.split(".", 1)
        merged.setdefault(group, {})[name] = v
    for group, vals in extra.items():
        merged.setdefault(group, {}).update(vals)
    flat = {f"{g}.{k}": v for g, vals in merged.items() for k, v in vals.items()}
    post = posterior_defaults(scenario.posterior)[0] if scenario.posterior else {}
    full = {g: {**post.get(g, {}), **merged.get(g, {})} for g in {*post, *merged}}
    return replace(scenario, params=_runtime_params(full, Path(path)), param_overrides=flat)
