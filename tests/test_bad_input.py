"""Bad input: 500 malformed or out-of-range scenario files, each refused clearly.

Every example starts from a valid counterfactual scenario (it inherits the packaged
historical one, overrides parameters, removes, modifies and adds decisions) and breaks it
once: a structural mutation (a key deleted, garbled or added, a value of the wrong type,
a number out of range, a bad date, an unknown lever, region, republic or parameter, an
id that does not exist, a broken inheritance chain) or a textual one (random bytes,
non-UTF-8 bytes, a truncated string, a stray line, a duplicated key, an empty or huge
file). Loading must raise :class:`ScenarioError` and nothing else, and the message must
name the file, the line (when the problem is inside the file), the field and what is
allowed, without a traceback. About one example in six goes through ``ottepel run`` as
well: exit code 2, the same message, no results directory and no report written.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ottepel.core.mechanisms import LEVERS, PARAM_GROUPS
from ottepel.core.scenario import MAX_FILE_BYTES, ScenarioError, load_scenario
from ottepel.data import load_regions
from ottepel.interfaces.cli.app import app

BASE = {
    "name": "reliability-base",
    "title": "A valid counterfactual that the tests break",
    "inherits": "khrushchev-1953",
    "start": "1953-03",
    "end": "1958-12",
    "weather": "stochastic",
    "politics": "pinned",
    "remove": ["maize_1955", "exports_plan_1957"],
    "params": {
        "agriculture": {"losses": 0.1, "seed_rate": 0.18},
        "grain": {"stock_1953": 10.0},
    },
    "modify": [
        {"id": "virgin_lands_1954", "scale": 0.5},
        {"id": "grain_price_1956", "date": "1956-04"},
        {"id": "maize_1956", "value": 20.0},
    ],
    "decision": [
        {"id": "extra_maize", "lever": "maize_target_mha", "date": "1957-05", "value": 20.0,
         "sponsor": "Khrushchev", "source": "reliability test", "note": "counterfactual"},
        {"id": "extra_plough", "lever": "virgin_ploughing_mha", "date": "1957-01-15",
         "by_region": {"KZ01": 1.5, "RU54": 0.5}, "source": "reliability test"},
        {"id": "extra_plough_rep", "lever": "virgin_ploughing_mha", "date": "1958-01",
         "by_republic": {"Kazakh SSR": 1.0}, "source": "reliability test"},
    ],
}
STRING_FIELDS = ["name", "title", "inherits", "start", "end", "weather", "politics"]
DECISION_STRINGS = ["id", "lever", "date", "sponsor", "source", "note"]
REQUIRED_DECISION = ["id", "lever", "date", "source"]
COUNTER = itertools.count()
RUNNER = CliRunner()


# --------------------------------------------------------------------------- writing TOML
def fmt(v) -> str:
    """A value as TOML (strings JSON-escaped, which TOML basic strings accept)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) \
            else repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(fmt(x) for x in v) + "]"
    return "{ " + ", ".join(f"{key(k)} = {fmt(x)}" for k, x in v.items()) + " }"


def key(k: str) -> str:
    """A bare key where TOML allows it, else a quoted one."""
    return k if re.fullmatch(r"[A-Za-z0-9_\-]+", k) else json.dumps(k, ensure_ascii=False)


def to_toml(doc: dict) -> str:
    """Scalars first, then [tables] (recursively), then [[arrays of tables]]."""
    out: list[str] = ["# reliability test scenario"]
    _write_table(doc, (), out)
    return "\n".join(out) + "\n"


def _is_aot(v) -> bool:
    return isinstance(v, list) and v and all(isinstance(x, dict) for x in v)


def _write_table(d: dict, prefix: tuple, out: list[str]) -> None:
    for k, v in d.items():
        if not isinstance(v, dict) and not _is_aot(v):
            out.append(f"{key(k)} = {fmt(v)}")
    for k, v in d.items():
        if isinstance(v, dict):
            out.append(f"\n[{'.'.join(key(p) for p in prefix + (k,))}]")
            _write_table(v, prefix + (k,), out)
    for k, v in d.items():
        if _is_aot(v):
            for item in v:
                out.append(f"\n[[{'.'.join(key(p) for p in prefix + (k,))}]]")
                out.extend(f"{key(ik)} = {fmt(iv)}" for ik, iv in item.items())


# --------------------------------------------------------------------------- mutations
def copy(doc):
    return json.loads(json.dumps(doc, default=str)) if doc is not None else None


def wrong_value(kind: str):
    """Values of the wrong type for a field of ``kind`` (str, number, date, list, table)."""
    pool = {
        "str": [3, 2.5, True, ["a"], {"a": 1}],
        "date": [1953, 7.5, False, ["1953-03"], {"y": 1953}],
        "number": ["3.0", "lots", True, [1.0], {"v": 1.0}, dt.date(1955, 1, 1)],
        "list": ["maize_1955", 3, {"id": "x"}, [1, 2]],
        "table": [3, "x", [1, 2], True],
    }
    return st.sampled_from(pool[kind])


garbled = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=12) \
    .map(lambda s: "zz" + s)


def field_path(loc: tuple) -> str:
    out = ""
    for p in loc:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


@st.composite
def structural(draw):
    """A broken document and the field the error must name (a prefix of it)."""
    doc = copy(BASE)
    kind = draw(st.sampled_from([
        "delete", "unknown_key", "wrong_type", "range_decision", "range_param", "range_modify",
        "bad_date", "bad_month", "unknown_name", "literal", "bad_id", "inherits",
        "remove_modify", "decision_shape",
    ]))
    i = draw(st.integers(0, len(doc["decision"]) - 1))
    j = draw(st.integers(0, len(doc["modify"]) - 1))
    dec, mod = doc["decision"][i], doc["modify"][j]
    if kind == "delete":
        which = draw(st.sampled_from(["name"] + [f"d.{k}" for k in REQUIRED_DECISION]
                                     + ["d.value", "m.id", "m.change"]))
        if which == "name":
            del doc["name"]
            return doc, "name"
        if which == "m.id":
            del mod["id"]
            return doc, field_path(("modify", j, "id"))
        if which == "m.change":
            doc["modify"][j] = {"id": mod["id"]}
            return doc, field_path(("modify", j))
        k = which[2:]
        if k == "value":
            for v in ("value", "by_region", "by_republic"):
                dec.pop(v, None)
            return doc, field_path(("decision", i))
        del dec[k]
        return doc, field_path(("decision", i, k))
    if kind == "unknown_key":
        name = draw(garbled)
        where = draw(st.sampled_from(["top", "decision", "modify", "param", "group"]))
        if where == "top":
            doc[name] = draw(st.sampled_from([1, "x", [1]]))
            return doc, name
        if where == "decision":
            dec[name] = "x"
            return doc, field_path(("decision", i, name))
        if where == "modify":
            mod[name] = 1.0
            return doc, field_path(("modify", j, name))
        if where == "param":
            doc["params"]["agriculture"][name] = 0.1
            return doc, f"params.agriculture.{name}"
        doc["params"][name] = {"x": 1.0}
        return doc, f"params.{name}"
    if kind == "wrong_type":
        where = draw(st.sampled_from(["top", "decision", "value", "by_region", "param",
                                      "params", "group", "scale", "remove", "decisions"]))
        if where == "top":
            k = draw(st.sampled_from(STRING_FIELDS))
            doc[k] = draw(wrong_value("str"))
            return doc, k
        if where == "decision":
            k = draw(st.sampled_from(DECISION_STRINGS))
            dec[k] = draw(wrong_value("date" if k == "date" else "str"))
            return doc, field_path(("decision", i, k))
        if where == "value":
            doc["decision"][0]["value"] = draw(wrong_value("number"))
            return doc, "decision[0].value"
        if where == "by_region":
            doc["decision"][1]["by_region"]["KZ01"] = draw(wrong_value("number"))
            return doc, "decision[1].by_region"
        if where == "param":
            doc["params"]["agriculture"]["losses"] = draw(wrong_value("number"))
            return doc, "params.agriculture.losses"
        if where == "params":
            doc["params"] = draw(wrong_value("table"))
            return doc, "params"
        if where == "group":
            doc["params"]["grain"] = draw(wrong_value("table"))
            return doc, "params.grain"
        if where == "scale":
            doc["modify"][0]["scale"] = draw(wrong_value("number"))
            return doc, "modify[0].scale"
        if where == "remove":
            doc["remove"] = draw(wrong_value("list"))
            return doc, "remove"
        doc["decision"] = draw(st.sampled_from(["x", 3, {"id": "a"}]))
        return doc, "decision"
    if kind == "range_decision":
        lever_name = draw(st.sampled_from(sorted(k for k, v in LEVERS.items() if not v.regional)))
        lever = LEVERS[lever_name]
        bad = draw(st.one_of(
            st.floats(lever.hi + 1e-6, 1e300).filter(lambda x: x > lever.hi),
            st.floats(-1e300, lever.lo - 1e-6).filter(lambda x: x < lever.lo),
            st.sampled_from([math.nan, math.inf, -math.inf])))
        doc["decision"][0].update(lever=lever_name, value=bad)
        regional = draw(st.booleans())
        if regional:
            doc["decision"][1]["by_region"]["RU54"] = draw(st.sampled_from(
                [-0.5, 10.5, 1e9, math.nan, math.inf]))
            doc["decision"][0]["value"] = 1.0 if lever.lo <= 1.0 <= lever.hi else lever.lo
            return doc, "decision[1].by_region.RU54"
        return doc, "decision[0].value"
    if kind == "range_param":
        group = draw(st.sampled_from(sorted(PARAM_GROUPS)))
        name = draw(st.sampled_from(sorted(PARAM_GROUPS[group].model_fields)))
        extra = PARAM_GROUPS[group].model_fields[name].json_schema_extra
        bad = draw(st.one_of(
            st.floats(extra["hi"], 1e300, exclude_min=True),
            st.floats(-1e300, extra["lo"], exclude_max=True),
            st.sampled_from([math.nan, math.inf, -math.inf])))
        doc["params"].setdefault(group, {})[name] = bad
        return doc, f"params.{group}.{name}"
    if kind == "range_modify":
        how = draw(st.sampled_from(["scale", "too_big", "value"]))
        if how == "scale":
            doc["modify"][0]["scale"] = draw(st.one_of(
                st.floats(100, 1e300, exclude_min=True), st.floats(-1e300, 0, exclude_max=True),
                st.just(math.nan)))
        elif how == "too_big":
            doc["modify"][0]["scale"] = draw(st.floats(3.0, 100.0))  # 4.17 mn ha x >= 3 > 10
        else:
            doc["modify"][2]["value"] = draw(st.sampled_from([-1.0, 60.5, 1e12, math.inf]))
            return doc, "modify[2].value"
        return doc, "modify[0].scale"
    if kind == "bad_date":
        bad = draw(st.sampled_from([
            "1953-13", "1953-00", "1955-02-30", "1956-04-31", "1953-03-32", "1900-01",
            "2100-05", "1952-12", "1976-01", "1953/03", "March 1953", "", "53-03",
            "1953-3", "1953-03-1", "1953-03-01T00:00", "1953-03 ",
        ]))
        if draw(st.booleans()):
            dec["date"] = bad
            return doc, field_path(("decision", i, "date"))
        doc["modify"][1]["date"] = bad
        return doc, "modify[1].date"
    if kind == "bad_month":
        k = draw(st.sampled_from(["start", "end", "order"]))
        if k == "order":
            doc["start"], doc["end"] = "1958-01", "1957-12"
            return doc, "end"
        doc[k] = draw(st.sampled_from(["1953-13", "1950-01", "1976-01", "1953-3", "1953-03-01",
                                       "x", "", "2000-01"]))
        return doc, k
    if kind == "unknown_name":
        what = draw(st.sampled_from(["lever", "region", "republic", "group", "param"]))
        name = draw(garbled)
        if what == "lever":
            dec["lever"] = name
            return doc, field_path(("decision", i, "lever"))
        if what == "region":
            doc["decision"][1]["by_region"][name.upper()] = 1.0
            return doc, "decision[1].by_region"
        if what == "republic":
            doc["decision"][2]["by_republic"] = {name: 1.0}
            return doc, "decision[2].by_republic"
        if what == "group":
            doc["params"][name] = {"losses": 0.1}
            return doc, f"params.{name}"
        doc["params"]["grain"][name] = 1.0
        return doc, f"params.grain.{name}"
    if kind == "literal":
        k = draw(st.sampled_from(["weather", "politics"]))
        doc[k] = draw(st.sampled_from(["Historical", "random", "", "free ", "pinned2"]))
        return doc, k
    if kind == "bad_id":
        bad = draw(st.sampled_from(["", "has space", "a/b", "x" * 81, "ümlaut", "a\tb"]))
        if draw(st.booleans()):
            doc["name"] = bad
            return doc, "name"
        dec["id"] = bad
        return doc, field_path(("decision", i, "id"))
    if kind == "inherits":
        how = draw(st.sampled_from(["missing", "not_toml", "self", "empty"]))
        doc["inherits"] = {"missing": "no-such-scenario", "not_toml": "/etc/hostname",
                           "self": "SELF", "empty": ""}[how]
        return doc, "inherits"
    if kind == "remove_modify":
        how = draw(st.sampled_from(["remove", "modify", "twice", "both", "regional_value",
                                    "not_inherited"]))
        name = draw(garbled)
        if how == "remove":
            doc["remove"].append(name)
            return doc, "remove[2]"
        if how == "modify":
            mod["id"] = name
            return doc, field_path(("modify", j, "id"))
        if how == "twice":
            doc["remove"].append("maize_1955")
            return doc, "remove[2]"
        if how == "both":
            doc["modify"][2]["scale"] = 2.0
            return doc, "modify[2].scale"
        if how == "regional_value":
            doc["modify"][0] = {"id": "virgin_lands_1954", "value": 1.0}
            return doc, "modify[0].value"
        del doc["inherits"]
        return doc, "remove"
    # decision_shape
    how = draw(st.sampled_from(["two_values", "national_by_region", "duplicate_id", "many"]))
    if how == "two_values":
        doc["decision"][0]["by_region"] = {"KZ01": 1.0}
        return doc, "decision[0]"
    if how == "national_by_region":
        doc["decision"][1]["lever"] = "maize_target_mha"
        return doc, "decision[1].by_region"
    if how == "duplicate_id":
        doc["decision"][2]["id"] = doc["decision"][0]["id"]
        return doc, "decision[2].id"
    doc["decision"] = [dict(doc["decision"][0], id=f"d{k}") for k in range(5001)]
    return doc, "decision"


GARBAGE_LINES = ["= 5", "[[", "key =", '"unterminated', "[a]]", "x = [1, 2", "y = {a = }",
                 "name = 'two' 'strings'", "]]", "z = 1953-13-01", "q = 0x", "\x00",
                 "w = \"\x01\"", "[decision", "v = nan nan"]


@st.composite
def textual(draw):
    """A valid document broken as text: (bytes, line expected?)."""
    text = to_toml(BASE)
    data = text.encode()
    kind = draw(st.sampled_from(["random_bytes", "non_utf8", "truncate_string", "garbage_line",
                                 "duplicate_key", "empty", "huge", "control_char", "deep"]))
    if kind == "random_bytes":
        return draw(st.binary(min_size=1, max_size=3000)), True
    if kind == "non_utf8":
        pos = draw(st.integers(0, len(data)))
        return data[:pos] + bytes([draw(st.integers(0x80, 0xFF))]) + data[pos:], True
    if kind == "truncate_string":
        quotes = [m.end() for m in re.finditer(r'= "', text)]
        cut = draw(st.sampled_from(quotes)) + draw(st.integers(0, 3))
        return data[:cut], True
    lines = text.splitlines()
    if kind == "garbage_line":
        pos = draw(st.integers(0, len(lines)))
        lines.insert(pos, draw(st.sampled_from(GARBAGE_LINES)))
        return ("\n".join(lines) + "\n").encode(), True
    if kind == "duplicate_key":
        keyed = [n for n, ln in enumerate(lines) if re.match(r"^[a-z_]+ = ", ln)]
        n = draw(st.sampled_from(keyed))
        lines.insert(n + 1, lines[n])
        return ("\n".join(lines) + "\n").encode(), True
    if kind == "empty":
        return draw(st.sampled_from([b"", b"\n", b"   \n\t\n", b"\xef\xbb\xbf"])), True
    if kind == "deep":  # nesting beyond what the parser can recurse into
        n = draw(st.integers(1000, 5000))
        opener, closer = draw(st.sampled_from([("[", "]"), ("{ b = ", " }")]))
        lines.insert(draw(st.integers(1, len(lines))), f"deep = {opener * n}1{closer * n}")
        return ("\n".join(lines) + "\n").encode(), True
    if kind == "huge":
        pad = b"# " + b"x" * 1000 + b"\n"
        return data + pad * (MAX_FILE_BYTES // len(pad) + 1), False
    pos = draw(st.integers(0, len(data)))
    char = bytes([draw(st.sampled_from([0, 1, 8, 11, 12, 27, 127]))])
    # inside a string or on its own: TOML allows neither (tab is allowed, so not used)
    return data[:pos] + char + data[pos:], True


# --------------------------------------------------------------------------- checks
LOC_RE = r"{path}:(\d+): field '([^']*)'"


def check_message(msg: str, path: Path, text_lines: list[str], line_expected: bool,
                  field: str | None) -> None:
    assert "Traceback" not in msg and 'File "' not in msg, msg
    assert str(path) in msg, f"file not named: {msg}"
    assert "field '" in msg, f"field not named: {msg}"
    assert "allowed: " in msg, f"what is allowed not said: {msg}"
    hits = re.findall(LOC_RE.format(path=re.escape(str(path))), msg)
    if line_expected:
        assert hits, f"no line number: {msg}"
        for line, _ in hits:
            assert 1 <= int(line) <= max(len(text_lines), 1), f"line {line} outside file: {msg}"
    if field is not None:
        fields = [f for _, f in hits] or re.findall(r"field '([^']*)'", msg)
        assert any(f.startswith(field) for f in fields), f"field {field!r} not named: {msg}"
        leaf = re.sub(r"\[\d+\]", "", field).split(".")[-1]
        line = int(hits[0][0])
        shown = text_lines[line - 1] if line <= len(text_lines) else ""
        assert leaf in shown or shown.lstrip().startswith(("[", "#")) or line == 1, \
            f"line {line} ({shown!r}) does not show {field!r}: {msg}"


def load_refused(path: Path) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return str(info.value)


def cli_refused(path: Path, expected: str) -> None:
    out = path.parent / "results"
    report = path.parent / "report.html"
    res = RUNNER.invoke(app, ["run", "-s", str(path), "-n", "1", "-o", str(out),
                              "--report", str(report)])
    assert res.exit_code == 2, (res.exit_code, res.output, res.exception)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output
    assert expected.splitlines()[0] in res.output.replace("\n", " ") or \
        expected.splitlines()[0] in res.output, res.output
    assert not out.exists() and not report.exists(), "output written for an invalid scenario"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("bad_input")


@settings(max_examples=500, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_malformed_scenarios_are_refused_clearly(workdir, data):
    folder = workdir / f"ex{next(COUNTER):04d}"
    folder.mkdir()
    path = folder / "scenario.toml"
    if data.draw(st.integers(0, 2), label="structural?") > 0:
        doc, field = data.draw(structural(), label="mutation")
        if doc.get("inherits") == "SELF":
            doc["inherits"] = str(path)
        text = to_toml(doc)
        path.write_text(text, encoding="utf-8")
        target, line_expected = path, True
    else:
        raw, line_expected = data.draw(textual(), label="text")
        field = None
        if data.draw(st.booleans(), label="as parent?"):  # broken file inherited by a child
            target = folder / "parent.toml"
            target.write_bytes(raw)
            path.write_text(f'name = "child"\ninherits = "{target.name}"\n', encoding="utf-8")
        else:
            target = path
            path.write_bytes(raw)
        text = raw.decode("utf-8", errors="replace")
    msg = load_refused(path)
    check_message(msg, target, text.split("\n"), line_expected, field)
    if data.draw(st.integers(0, 5), label="via CLI?") == 0:
        cli_refused(path, msg)


def test_the_base_scenario_is_valid(tmp_path):
    path = tmp_path / "base.toml"
    path.write_text(to_toml(BASE), encoding="utf-8")
    sc = load_scenario(path)
    assert sc.name == "reliability-base" and sc.weather == "stochastic"
    assert len(sc.months) == 70
    assert {"maize_1955", "exports_plan_1957"}.isdisjoint(d.id for d in sc.decisions.schedule)
    assert sc.param_overrides["agriculture.losses"] == 0.1
    virgin = sc.decisions.values["virgin_ploughing_mha"]
    kz01 = int(load_regions().index_of("KZ01"))
    assert virgin[10, kz01] == pytest.approx(0.5 * 4.172)  # Jan 1954: scaled by modify
