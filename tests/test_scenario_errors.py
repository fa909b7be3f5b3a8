"""Known-answer tests of scenario and parameter-file errors, and of the CLI's handling."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ottepel.core.scenario import (
    ScenarioError,
    load_param_file,
    load_scenario,
    with_param_file,
)
from ottepel.core.tomlpos import TomlLines
from ottepel.interfaces.cli.app import app, fail

RUNNER = CliRunner()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path | str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value


def test_out_of_range_value_names_file_line_field_and_range(tmp_path):
    path = write(tmp_path, "s.toml", 'name = "s"\n\n[[decision]]\nid = "m"\n'
                 'lever = "maize_target_mha"\ndate = "1955-04"\nvalue = 75.0\nsource = "x"\n')
    err = refused(path)
    assert str(err) == (
        f"{path}:7: field 'decision[0].value': 75 is out of range (decision 'm', lever "
        "'maize_target_mha'); allowed: a number from 0 to 60 million ha")
    assert (err.line, err.field) == (7, "decision[0].value")


def test_unknown_lever_lists_the_levers(tmp_path):
    path = write(tmp_path, "s.toml", 'name = "s"\n[[decision]]\nid = "m"\nlever = "maize"\n'
                 'date = "1955-04"\nvalue = 5.0\nsource = "x"\n')
    msg = str(refused(path))
    assert msg.startswith(f"{path}:4: field 'decision[0].lever': unknown lever 'maize'")
    assert "maize_target_mha" in msg and "virgin_ploughing_mha" in msg


def test_wrong_type_is_not_coerced(tmp_path):
    path = write(tmp_path, "s.toml", 'name = "s"\n[[decision]]\nid = "m"\n'
                 'lever = "maize_target_mha"\ndate = "1955-04"\nvalue = "5"\nsource = "x"\n')
    msg = str(refused(path))
    assert f"{path}:6: field 'decision[0].value': Input should be a valid number, got '5'" in msg


def test_toml_syntax_error_gives_tomllib_line_and_the_text(tmp_path):
    path = write(tmp_path, "s.toml", 'name = "s"\ntitle = "a\n')
    msg = str(refused(path))
    assert msg.startswith(f"{path}:2: field 'title': TOML syntax error")
    assert "line 2 reads 'title = \"a'" in msg and "allowed: TOML syntax" in msg


def test_unquoted_toml_date_is_accepted_and_bad_calendar_dates_are_not(tmp_path):
    ok = write(tmp_path, "ok.toml", 'name = "s"\n[[decision]]\nid = "m"\n'
               'lever = "maize_target_mha"\ndate = 1955-04-01\nvalue = 5.0\nsource = "x"\n')
    assert load_scenario(ok).decisions.schedule[0].month == 25
    bad = write(tmp_path, "bad.toml", ok.read_text().replace("1955-04-01", '"1955-02-29"'))
    assert "'1955-02-29' is not a calendar date" in str(refused(bad))


def test_param_errors_point_at_the_inherited_file_that_has_them(tmp_path):
    parent = write(tmp_path, "parent.toml", 'name = "p"\n\n[params.grain]\nstock_1953 = 99.0\n')
    child = write(tmp_path, "child.toml", 'name = "c"\ninherits = "parent.toml"\n')
    msg = str(refused(child))
    assert msg.startswith(f"{parent}:4: field 'params.grain.stock_1953': 99 is out of range; "
                          "allowed: a number from 10 to 45 million t")
    assert f"(inherited by {child}:2)" in msg


def test_inheritance_loop_across_two_files(tmp_path):
    write(tmp_path, "a.toml", 'name = "a"\ninherits = "b.toml"\n')
    b = write(tmp_path, "b.toml", 'name = "b"\n\ninherits = "a.toml"\n')
    msg = str(refused(tmp_path / "a.toml"))
    assert msg == (f"{b}:3: field 'inherits': inheritance loop a.toml -> b.toml -> a.toml; "
                   "allowed: a chain of scenarios that ends in one without inherits")


def test_modify_scale_out_of_range_blames_the_modify(tmp_path):
    path = write(tmp_path, "s.toml", 'name = "s"\ninherits = "khrushchev-1953"\n[[modify]]\n'
                 'id = "virgin_lands_1954"\nscale = 3.0\n')
    msg = str(refused(path))
    assert msg.startswith(f"{path}:5: field 'modify[0].scale': 12.516 after scale 3 is out of "
                          "range (decision 'virgin_lands_1954'")


def test_remove_unknown_id_points_at_its_line(tmp_path):
    path = write(tmp_path, "s.toml", 'name = "s"\ninherits = "khrushchev-1953"\nremove = [\n'
                 '  "maize_1955",\n  "maize_1999",\n]\n')
    msg = str(refused(path))
    assert msg.startswith(f"{path}:5: field 'remove[1]': no inherited decision with id "
                          "'maize_1999'; allowed: an id of an inherited decision:")


def test_missing_scenario_reference():
    err = refused("no-such-scenario")
    assert "no-such-scenario: field '(scenario)': not a .toml file; allowed: a packaged" in str(err)


def test_parameter_file_is_validated_like_a_scenario(tmp_path):
    good = write(tmp_path, "p.toml", 'title = "posterior"\n[params.agriculture]\nlosses = 0.1\n')
    assert load_param_file(good) == {"agriculture": {"losses": 0.1}}
    sc = with_param_file(load_scenario(), good)
    assert sc.params.agriculture.losses == 0.1
    assert sc.param_overrides["agriculture.losses"] == 0.1
    bad = write(tmp_path, "q.toml", '[params.agriculture]\nloses = 0.1\n')
    with pytest.raises(ScenarioError, match=r"q.toml:2: field 'params.agriculture.loses': "
                       r"unknown parameter of group 'agriculture'; allowed: one of yield_scale"):
        load_param_file(bad)


def test_cli_run_with_bad_parameter_file_exits_2_and_writes_nothing(tmp_path):
    bad = write(tmp_path, "q.toml", '[params.grain]\nstock_1953 = "a lot"\n')
    out = tmp_path / "out"
    res = RUNNER.invoke(app, ["run", "-n", "1", "-o", str(out), "--params", str(bad)])
    assert res.exit_code == 2
    assert f"{bad}:2: field 'params.grain.stock_1953': Input should be a valid number" in \
        res.output
    assert not out.exists()


def test_fail_prints_brackets_and_long_paths_verbatim(capsys):
    message = "/a/very/long/path/" + "x" * 150 + ".toml:3: field 'decision': use [[decision]]"
    with pytest.raises(typer.Exit):
        fail(message)
    assert message in capsys.readouterr().err


def _scenario_commands() -> list[tuple[list[str], str | None]]:
    """(command path, option or None for an argument) of every command taking a scenario."""
    import typer.main

    found = []

    def walk(cmd, path: list[str]) -> None:
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, path + [name])
        for p in getattr(cmd, "params", []):
            if p.name == "scenario" and path:
                found.append((path, p.opts[0] if p.param_type_name == "option" else None))

    walk(typer.main.get_command(app), [])
    return found


def test_every_command_that_takes_a_scenario_refuses_a_bad_one(tmp_path):
    """Exit 2 with file, line, field and what is allowed, before doing anything else."""
    bad = write(tmp_path, "bad.toml", 'name = "bad"\nweather = "sunny"\n')
    commands = _scenario_commands()
    assert (["run"], "--scenario") in commands
    for path, option in commands:
        name = " ".join(path)
        signal.signal(signal.SIGALRM, _too_slow(name))
        signal.alarm(30)
        try:
            args = path + ([option, str(bad)] if option else [str(bad)])
            res = RUNNER.invoke(app, args, catch_exceptions=True)
        finally:
            signal.alarm(0)
        assert res.exit_code == 2, (name, res.output, res.exception)
        assert f"{bad}:2: field 'weather'" in res.output and "allowed:" in res.output, (
            name, res.output)
        assert "Traceback" not in res.output


def _too_slow(name: str):
    def handler(signum, frame):
        raise TimeoutError(f"`ottepel {name}` did not validate its scenario before starting")
    return handler


def test_line_index_handles_multiline_values_and_subtables():
    text = (
        'name = "x"\n'
        'description = """\n[[decision]]\nnot a header\n"""\n'
        'remove = [\n  "a",\n  "b",\n]\n'
        '[[decision]]\nid = "d0"\n[decision.by_region]\nKZ01 = 1.0\n'
        '[[decision]]\nid = "d1"  # comment [\n'
        '[params.grain]\nstock_1953 = 5.0\n'
    )
    lines = TomlLines(text)
    assert lines.line_of(("remove",)) == 6
    assert lines.line_of(("decision", 0, "id")) == 11
    assert lines.line_of(("decision", 0, "by_region", "KZ01")) == 13
    assert lines.line_of(("decision", 1, "id")) == 15
    assert lines.line_of(("decision", 1, "source")) == 14
    assert lines.line_of(("params", "grain", "stock_1953")) == 17
    assert lines.path_at(4) == ("description",) or lines.path_at(4) == ()
