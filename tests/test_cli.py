"""The command-line interface, end to end (in-process)."""

from typer.testing import CliRunner

from ottepel.interfaces.cli.app import app

runner = CliRunner()


def test_run_prints_table_and_writes_report(tmp_path):
    res = runner.invoke(app, ["run", "--runs", "12", "--seed", "3", "--out", str(tmp_path / "r")])
    assert res.exit_code == 0, res.output
    assert "grain_harvest_mt" in res.output and "hist" in res.output
    assert "of 12 years" in res.output
    html = (tmp_path / "r" / "report.html").read_text()
    assert "Plotly" in html and "grain_harvest_mt" in html and "<script src=" not in html


def test_bad_scenario_gives_exit_2_without_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n[[decision]]\nid = "a"\nlever = "maize_target_mha"\n'
                   'date = "1955-02"\nvalue = -4.0\nsource = "s"\n')
    res = runner.invoke(app, ["run", "-s", str(bad), "--out", str(tmp_path / "r")])
    assert res.exit_code == 2
    assert "Traceback" not in res.output
    assert "bad.toml:" in res.output and "value" in res.output
    assert not (tmp_path / "r").exists()


def test_unknown_variable(tmp_path):
    res = runner.invoke(app, ["run", "--runs", "2", "--vars", "nope", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "unknown variables" in res.output


def test_listing_commands():
    for cmd in ("scenarios", "params", "variables"):
        res = runner.invoke(app, [cmd])
        assert res.exit_code == 0, res.output


def test_cli_tree_registers_every_command_in_order():
    """app.py builds the CLI from its command modules, in the order --help lists them."""
    import typer.main

    from ottepel.interfaces.cli.app import COMMAND_MODULES

    group = typer.main.get_command(app)
    assert list(group.commands) == ["run", "scenarios", "params", "variables", "serve",
                                    "compare", "assess", "play", "calibrate", "sensitivity",
                                    "validate"]
    assert [m.__name__.rsplit(".", 1)[1] for m in COMMAND_MODULES] == [
        "run", "info", "serve", "whatif", "play", "calibrate"]
