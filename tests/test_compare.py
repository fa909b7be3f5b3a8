"""Paired comparison of scenarios and the packaged counterfactuals."""

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from ottepel import load_scenario, simulate
from ottepel.analysis.compare import Comparison, paired, write_compare_report
from ottepel.core import mechanisms
from ottepel.core.scenario import ScenarioError, packaged_scenarios
from ottepel.interfaces.cli.app import app

runner = CliRunner()


@pytest.fixture(scope="module")
def maize_cmp():
    return paired("khrushchev-1953", "no-maize-campaign", runs=8, seed=5, chunk_size=4)


def test_same_scenario_pairs_to_zero():
    sc = load_scenario("khrushchev-1953")
    cmp = paired(sc, sc, runs=3, seed=2)
    d = cmp.diff("grain_harvest_mt")
    assert (d.to_numpy() == 0).all()  # same seeds: same weather and luck, bit for bit
    s = cmp.summary("grain_harvest_mt")
    assert (s["share_b_higher"] == 0).all()


def test_paired_difference_is_run_by_run(maize_cmp):
    d = maize_cmp.diff("grain_harvest_mt")
    a = maize_cmp.a.annual("grain_harvest_mt")
    b = maize_cmp.b.annual("grain_harvest_mt")
    np.testing.assert_array_equal(d.to_numpy(), (b - a).to_numpy())
    # Before the campaign (1953-54) the two scenarios are identical in every run.
    assert (d[[1953, 1954]].to_numpy() == 0).all()
    # Its maize area is the 1953 target from 1955 on.
    maize = maize_cmp.b.summary("maize_sown_mha")["median"]
    assert maize.loc[1962] < 5 < maize_cmp.a.summary("maize_sown_mha")["median"].loc[1962]


def test_summary_interval_contains_median(maize_cmp):
    s = maize_cmp.summary("grain_harvest_mt")
    assert list(s.columns) == ["a_median", "b_median", "diff_median", "diff_q05", "diff_q95",
                               "share_b_higher"]
    assert (s["diff_q05"] <= s["diff_median"]).all() and (s["diff_median"] <= s["diff_q95"]).all()
    assert s["share_b_higher"].between(0, 1).all()
    o = maize_cmp.overall("grain_harvest_mt", (1955, 1964))
    assert o["q05"] <= o["median"] <= o["q95"]


def test_report_written_atomically(maize_cmp, tmp_path):
    path = write_compare_report(maize_cmp, tmp_path / "c.html", ["grain_harvest_mt"])
    text = path.read_text()
    assert "Plotly" in text and "grain_harvest_mt" in text and "<script src=" not in text
    assert [p.name for p in tmp_path.iterdir()] == ["c.html"]  # no temporary left behind


def test_my_counterfactuals_load_and_differ():
    base = load_scenario("khrushchev-1953")
    for name in ("no-maize-campaign", "malenkov-consumer-course"):
        assert name in packaged_scenarios()
        sc = load_scenario(name)
        assert sc.months[0] == base.months[0] and sc.months[-1] == base.months[-1]
        assert any(not np.array_equal(sc.decisions.values[k], base.decisions.values[k])
                   for k in base.decisions.values)
    mal = load_scenario("malenkov-consumer-course").decisions
    m = int(np.flatnonzero(mal.months == np.datetime64("1957-01"))[0])
    assert mal.at("invest_share_group_b", m) > base.decisions.at("invest_share_group_b", m)
    assert mal.at("invest_share_group_a", m) < base.decisions.at("invest_share_group_a", m)


# Counterfactuals written against levers and decisions of other domains: they load once
# those domains are in the build (politics; world: the 1962 Cuba decision).
NEEDS = {"beria-moves-first": lambda: "politics" in {m.NAME for m in mechanisms.ORDER},
         "no-cuba-missiles": lambda: "cuba_missiles" in mechanisms.LEVERS}


def test_every_packaged_counterfactual_compares_with_intervals():
    """Each packaged scenario runs paired with history and gives finite intervals."""
    base = simulate("khrushchev-1953", runs=1, seed=1)
    for name in packaged_scenarios():
        if name in NEEDS and not NEEDS[name]():
            with pytest.raises(ScenarioError):
                load_scenario(name)
            continue
        cmp = Comparison(base, simulate(name, runs=1, seed=1), 1, 1)
        s = cmp.summary("grain_harvest_mt")
        assert np.isfinite(s[["diff_median", "diff_q05", "diff_q95"]].to_numpy()).all(), name


def test_cli_compare(tmp_path):
    out = tmp_path / "cmp.html"
    res = runner.invoke(app, ["compare", "khrushchev-1953", "malenkov-consumer-course",
                              "--runs", "2", "--seed", "1", "--vars",
                              "consumer_goods_index,grain_harvest_mt", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "consumer_goods_index" in res.output and "90% interval" in res.output
    assert out.exists()


@pytest.mark.parametrize("args,needle", [
    (["khrushchev-1953", "no-such-scenario"], "no-such-scenario"),
    (["khrushchev-1953", "no-maize-campaign", "--vars", "nope"], "unknown variables"),
])
def test_cli_compare_bad_input_exit_2(args, needle, tmp_path):
    res = runner.invoke(app, ["compare", *args, "--runs", "2", "--out", str(tmp_path / "x.html")])
    assert res.exit_code == 2
    assert needle in res.output and "Traceback" not in res.output
    assert not (tmp_path / "x.html").exists()


def test_comparison_aligns_different_spans(tmp_path):
    short = tmp_path / "short.toml"
    short.write_text('inherits = "khrushchev-1953"\nname = "short"\nend = "1958-12"\n')
    cmp = paired("khrushchev-1953", short, runs=2, seed=0)
    assert isinstance(cmp, Comparison)
    assert list(cmp.diff("grain_harvest_mt").columns) == list(range(1953, 1959))


PENDING = Path(__file__).resolve().parents[1] / "src/ottepel/scenarios/pending"


def test_beria_moves_first_is_packaged_once_politics_is_merged():
    if NEEDS["beria-moves-first"]():
        assert "beria-moves-first" in packaged_scenarios(), (
            "politics is merged: git mv src/ottepel/scenarios/pending/beria-moves-first.toml "
            "src/ottepel/scenarios/")
    else:
        assert (PENDING / "beria-moves-first.toml").exists()


def test_beria_moves_first_keeps_beria_in_charge_of_security_longer():
    if not NEEDS["beria-moves-first"]():
        pytest.skip("needs the politics domain")
    from ottepel.analysis.politics_view import leader_index

    beria = leader_index("beria")
    ref = "beria-moves-first" if "beria-moves-first" in packaged_scenarios() else (
        PENDING / "beria-moves-first.toml")
    cmp = paired("khrushchev-1953", ref, runs=16, seed=0)

    def share(res):
        return float((res.national["security_chief"].sel(month="1953-12-01") == beria).mean())

    assert share(cmp.b) > share(cmp.a)
