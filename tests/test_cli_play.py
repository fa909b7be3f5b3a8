"""`ottepel play`: a full game in the terminal, answered prompt by prompt."""

import json

import pytest
from typer.testing import CliRunner

from ottepel.interfaces.cli.app import app
from ottepel.interfaces.cli.play import parse_order

pytest.importorskip("ottepel.interfaces.play")  # the Game core (web branch)

runner = CliRunner()


def test_full_game_to_the_end_by_answering_prompts(tmp_path):
    save = tmp_path / "game.json"
    answers = "maize_target_mha=10\n" + "\n" * 60  # one order, then Enter every turn
    res = runner.invoke(app, ["play", "--seed", "3", "--quiet", "--save", str(save)],
                        input=answers)
    assert res.exit_code == 0, res.output
    assert "set maize_target_mha = 10" in res.output
    assert "Game over" in res.output
    assert "horizon" in res.output or "removed" in res.output
    data = json.loads(save.read_text())
    assert data["turns"][0]["choices"] == {"maize_target_mha": 10.0}
    assert 1 <= len(data["turns"]) <= 48


def test_save_quit_and_load(tmp_path):
    save = tmp_path / "g.json"
    res = runner.invoke(app, ["play", "--seed", "1", "--save", str(save)],
                        input="6=12\n\n\nquit\n")
    assert res.exit_code == 0, res.output
    assert "Stopped in 1953-09 after 2 turns" in res.output
    res = runner.invoke(app, ["play", "--load", str(save)], input="quit\n")
    assert res.exit_code == 0, res.output
    assert "1953-09  turn 2" in res.output and "Stopped in 1953-09" in res.output


def test_bad_orders_are_explained_not_fatal():
    res = runner.invoke(app, ["play"], input="nope=3\nmaize_target_mha=999\nmaize=x\nhelp\nq\n")
    assert res.exit_code == 0, res.output
    assert "unknown lever" in res.output and "outside the allowed range" in res.output
    assert "expected name=value" in res.output and "save [FILE]" in res.output


def test_bad_role_and_scenario_exit_2(tmp_path):
    res = runner.invoke(app, ["play", "--role", "napoleon"], input="q\n")
    assert res.exit_code == 2 and "unknown role" in res.output
    res = runner.invoke(app, ["play", "-s", "nowhere"], input="q\n")
    assert res.exit_code == 2 and "nowhere" in res.output
    res = runner.invoke(app, ["play", "--load", str(tmp_path / "missing.json")])
    assert res.exit_code == 2 and "cannot read" in res.output


def test_parse_order():
    names = ["a_lever", "b_lever"]
    assert parse_order("a_lever=2", names) == ("a_lever", 2.0)
    assert parse_order("b_lever 0.5", names) == ("b_lever", 0.5)
    assert parse_order("2=7", names) == ("b_lever", 7.0)
    with pytest.raises(ValueError):
        parse_order("9=1", names)
