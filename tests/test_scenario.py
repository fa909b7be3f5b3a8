"""Scenario loading, inheritance and error messages."""

import textwrap

import numpy as np
import pytest

from ottepel.core.scenario import ScenarioError, load_scenario, packaged_scenarios


def test_default_scenario(scenario):
    assert scenario.name == "khrushchev-1953"
    assert "khrushchev-1953" in packaged_scenarios()
    d = scenario.decisions
    assert d.at("invest_share_group_b", 0) == pytest.approx(0.07)
    m = int(np.flatnonzero(d.months == np.datetime64("1953-09"))[0])
    assert d.at("invest_share_group_b", m) == pytest.approx(0.10)  # Malenkov's new course
    assert d.year_total("virgin_ploughing_mha", 1954) > 0
    for dec in d.schedule:
        assert dec.source and dec.sponsor


def _write(tmp_path, text, name="s.toml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return p


def test_inheritance_remove_and_modify(tmp_path, scenario):
    p = _write(tmp_path, """
        name = "no-vl"
        inherits = "khrushchev-1953"
        remove = ["virgin_lands_1954", "virgin_lands_1955"]
        [[modify]]
        id = "maize_1962"
        value = 10.0
        """)
    sc = load_scenario(p)
    assert sc.decisions.year_total("virgin_ploughing_mha", 1954) == 0
    assert sc.decisions.year_total("virgin_ploughing_mha", 1956) > 0
    m = int(np.flatnonzero(sc.decisions.months == np.datetime64("1962-06"))[0])
    assert sc.decisions.at("maize_target_mha", m) == 10.0


@pytest.mark.parametrize("body,field", [
    ('name = "x"\nstart = "1953-13"\n', "start"),
    ('name = "x"\nbogus = 1\n', "bogus"),
    ('name = "x"\n[[decision]]\nid = "a"\nlever = "maize_target_mha"\ndate = "1955-02"\nvalue = 999.0\nsource = "s"\n', "value"),
    ('name = "x"\n[[decision]]\nid = "a"\nlever = "no_such_lever"\ndate = "1955-02"\nvalue = 1.0\nsource = "s"\n', "lever"),
    ('name = "x"\n[params.agriculture]\nweather_elasticity = 9.0\n', "weather_elasticity"),
    ('name = "x"\ninherits = "khrushchev-1953"\nremove = ["nope"]\n', "remove"),
])
def test_errors_name_file_line_field(tmp_path, body, field):
    p = _write(tmp_path, body)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p)
    msg = str(exc.value)
    assert str(p) in msg and field in msg
    assert f"{p}:" in msg  # a line number follows the file name


def test_unknown_scenario_name():
    with pytest.raises(ScenarioError, match="packaged scenario name"):
        load_scenario("does-not-exist")


def test_toml_syntax_error(tmp_path):
    p = _write(tmp_path, 'name = "x"\nstart = \n')
    with pytest.raises(ScenarioError, match="TOML syntax error"):
        load_scenario(p)
