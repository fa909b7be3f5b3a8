"""The turn-based play core: equivalence with simulate, choices, save/load, game end."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace

import numpy as np
import pytest

from ottepel import simulate
from ottepel.core.mechanisms import LEVERS
from ottepel.interfaces.play import (
    MAIN_LEVERS,
    Game,
    GameError,
    politics_view,
    reported_counterpart,
)


@pytest.fixture(scope="module")
def finished_game() -> Game:
    """A game of the historical scenario played to the horizon without any choice.

    Played as Brezhnev: with politics free, Khrushchev is removed before December 1964 in
    this run (as in history), which would end the game before the horizon.
    """
    game = Game.new("khrushchev-1953", seed=11, role="brezhnev")
    while not game.over:
        game.advance()
    return game


def test_game_without_choices_is_run_zero_of_simulate(finished_game):
    result = simulate("khrushchev-1953", runs=1, seed=11)
    records = finished_game.annual_records()
    for var in ("grain_harvest_mt", "meat_production_mt", "housing_completed_mn_m2",
                "population_mn", "state_grain_stock_mt"):
        model = result.annual(var).iloc[0]
        for year, rec in records.items():
            assert rec[var] == model[year], (var, year)  # bit-identical, not approximately


def test_game_reaches_the_horizon(finished_game):
    assert finished_game.over
    assert "horizon" in finished_game.reason
    assert finished_game.turn == math.ceil(142 / 3)  # 1953-03 .. 1964-12, a quarter a turn
    assert finished_game.reports[-1]["to"] == "1964-12"
    with pytest.raises(GameError, match="over"):
        finished_game.advance()
    with pytest.raises(GameError, match="over"):
        finished_game.apply({"maize_target_mha": 5.0})


def test_choices_list_levers_with_ranges():
    game = Game.new(seed=0)
    choices = {c["name"]: c for c in game.choices()}
    assert set(choices) == set(LEVERS)
    first = [c["name"] for c in game.choices()][: len(MAIN_LEVERS)]
    assert first == [k for k in MAIN_LEVERS if k in LEVERS]
    maize = choices["maize_target_mha"]
    assert (maize["lo"], maize["hi"], maize["unit"]) == (0.0, 60.0, "million ha")
    assert maize["value"] == maize["scheduled"] == 3.5  # the 1953 schedule
    assert choices["virgin_ploughing_mha"]["regional"]


def test_apply_overrides_from_the_current_month_only():
    game = Game.new(seed=0)
    for _ in range(4):  # to 1954-03
        game.advance()
    before = game._decisions.values["maize_target_mha"].copy()
    game.apply({"maize_target_mha": 30.0})
    after = game._decisions.values["maize_target_mha"]
    assert np.array_equal(after[:12], before[:12])
    assert np.all(after[12:] == 30.0)
    assert game.scenario.decisions.values["maize_target_mha"][12] != 30.0  # scenario untouched
    assert game.decisions.values["maize_target_mha"] is after
    assert game.advance()["choices"] == {"maize_target_mha": 30.0}
    choice = {c["name"]: c for c in game.choices()}["maize_target_mha"]
    assert choice["set_by_player"] and choice["value"] == 30.0


def test_regional_lever_is_spread_by_the_scenario_pattern():
    game = Game.new(seed=0)
    game.apply({"virgin_ploughing_mha": 10.0})
    now = game._decisions.values["virgin_ploughing_mha"][0]
    assert now.sum() == pytest.approx(10.0)
    pattern = game.scenario.decisions.values["virgin_ploughing_mha"].sum(0)
    assert np.allclose(now, 10.0 * pattern / pattern.sum())


def test_a_bigger_maize_target_sows_more_maize():
    base, big = Game.new(seed=2), Game.new(seed=2)
    big.apply({"maize_target_mha": 25.0})
    for g in (base, big):
        for _ in range(4):
            g.advance()
    m0 = base.annual_records()[1953]["maize_sown_mha"]
    m1 = big.annual_records()[1953]["maize_sown_mha"]
    assert m1 > 5 * m0  # target 25 instead of 3.5 million ha, same compliance draw


@pytest.mark.parametrize("choices, match", [
    ({"no_such_lever": 1.0}, "unknown lever"),
    ({"maize_target_mha": 61.0}, "outside the allowed range"),
    ({"maize_target_mha": -1.0}, "outside the allowed range"),
    ({"maize_target_mha": float("nan")}, "outside the allowed range"),
    ({"maize_target_mha": "5"}, "must be a number"),
    ({"maize_target_mha": True}, "must be a number"),
])
def test_bad_choices_are_refused_whole(choices, match):
    game = Game.new(seed=0)
    before = {k: v.copy() for k, v in game._decisions.values.items()}
    with pytest.raises(GameError, match=match):
        game.apply({"defence_share": 0.2, **choices})
    assert all(np.array_equal(before[k], game._decisions.values[k]) for k in before)


def test_unknown_role_is_refused():
    with pytest.raises(GameError, match="unknown role"):
        Game.new(seed=0, role="napoleon")


def test_save_and_load_replay_exactly(tmp_path):
    game = Game.new(seed=5)
    game.apply({"maize_target_mha": 12.0, "invest_share_housing": 0.25})
    for i in range(6):
        if i == 3:
            game.apply({"virgin_ploughing_mha": 8.0})
        game.advance()
    game.apply({"defence_share": 0.1})  # pending, not yet played
    path = game.save(tmp_path / "game.json")
    loaded = Game.load(path)
    assert loaded.to_dict() == game.to_dict()
    assert loaded.choices() == game.choices()
    assert loaded.annual_records() == game.annual_records()
    saved = json.loads(path.read_text())
    assert saved["scenario"] == "khrushchev-1953" and saved["seed"] == 5


@pytest.mark.parametrize("data, match", [
    ({"format": "other"}, "not an ottepel save"),
    ({"format": "ottepel-game", "version": 99}, "unsupported save version"),
    ({"format": "ottepel-game", "version": 1, "scenario": 3, "seed": 0, "role": "khrushchev",
      "months_per_turn": 3, "turns": []}, "scenario"),
    ({"format": "ottepel-game", "version": 1, "scenario": "khrushchev-1953", "seed": 0,
      "role": "khrushchev", "months_per_turn": 3, "turns": [{"x": 1}]}, "choices"),
    ({"format": "ottepel-game", "version": 1, "scenario": "khrushchev-1953", "seed": 0,
      "role": "khrushchev", "months_per_turn": 3,
      "turns": [{"choices": {"maize_target_mha": 1e9}}]}, "outside the allowed range"),
])
def test_bad_save_files_are_refused(data, match):
    with pytest.raises(GameError, match=match):
        Game.from_save(data)


def test_saved_scenario_must_be_allowed():
    data = Game.new(seed=0).save_dict()
    data["scenario"] = "../../etc/passwd"
    with pytest.raises(GameError, match="unknown scenario"):
        Game.from_save(data, allowed_scenarios=["khrushchev-1953"])


def test_reported_counterpart_naming():
    names = {"grain_harvest_mt", "grain_harvest_reported_mt", "industrial_output_index",
             "industrial_output_index_official", "meat_production_mt"}
    assert reported_counterpart("grain_harvest_mt", names) == "grain_harvest_reported_mt"
    assert reported_counterpart("industrial_output_index", names) == "industrial_output_index_official"
    assert reported_counterpart("meat_production_mt", names) is None


@dataclass(frozen=True)
class FakePolitics:
    """A politics domain of the documented shape (the real one comes from another module)."""

    leaders: tuple = ("Malenkov", "Khrushchev", "Molotov")
    first_secretary: np.ndarray = field(default_factory=lambda: np.array([1]))
    power: np.ndarray = field(default_factory=lambda: np.array([[0.3, 0.5, 0.2]]))
    status: np.ndarray = field(default_factory=lambda: np.array([[0, 0, 0]]))


def test_politics_view_reads_the_documented_fields():
    game = Game.new(seed=0)
    state = game._state.with_domain("politics", FakePolitics())
    view = politics_view(state, "khrushchev")
    assert view["first_secretary"] == "Khrushchev"
    assert view["leader_power"] == 0.5
    assert not view["removed"]


def test_removal_ends_the_game():
    game = Game.new(seed=0)
    game.advance()
    pol = game._state.politics  # the real politics domain: mark Khrushchev as executed
    status = pol.status.copy()
    status[0, 0] = 3
    game._state = game._state.with_domain("politics", replace(pol, status=status))
    report = game.advance()
    assert game.over and report["over"]
    assert "removed" in game.reason
    assert report["to"] == "1953-06"  # stopped in the first month of the turn
