"""`assess`: paired runs with and without each policy of the era."""

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from ottepel import load_scenario
from ottepel.analysis.assess import (
    BASE,
    Effect,
    Metric,
    assess,
    build_counterfactual,
    counterfactual_for,
    direction,
    effect_sentence,
    load_policies,
    policy_sentences,
    survival_effect,
    wide_table,
    write_assessment,
)
from ottepel.interfaces.cli.app import app

runner = CliRunner()
ERA_POLICIES = {"virgin_lands", "maize", "housing", "sovnarkhoz", "destalinisation",
                "seven_year_plan", "price_rise_1962", "cuba",
                "religion_campaign", "loan_freeze", "currency_reform_1961", "party_programme", "berlin_wall",
                "school_reform_1958"}  # issue 18


@pytest.fixture(scope="module")
def assessment():
    return assess(runs=6, seed=3, policies=["virgin_lands", "maize", "housing"])


def test_policy_list_covers_the_era():
    policies, metrics = load_policies()
    assert {p.id for p in policies} == ERA_POLICIES
    for p in policies:
        assert p.remove and p.source and p.sponsor and 1953 <= p.headline_year <= 1964
    groups = {m.group for m in metrics}
    assert {"grain", "living standards", "bloc stability", "leader's survival"} <= groups


def test_counterfactuals_exist_or_are_skipped_with_a_note():
    base = load_scenario(BASE)
    policies, _ = load_policies()
    for p in policies:
        sc, note = counterfactual_for(p, base, BASE)
        if sc is None:
            assert note.startswith("skipped"), (p.id, note)
        else:
            assert len(sc.decisions.schedule) < len(base.decisions.schedule) or p.modify, p.id
    # The policies whose decisions are in the historical scenario today are never skipped.
    for pid in ("virgin_lands", "maize", "housing", "seven_year_plan"):
        pol = next(p for p in policies if p.id == pid)
        assert counterfactual_for(pol, base, BASE)[0] is not None, pid


def test_built_counterfactual_removes_and_modifies():
    base = load_scenario(BASE)
    pol = next(p for p in load_policies()[0] if p.id == "housing")
    sc, note = build_counterfactual(pol, base, BASE)
    ids = {d.id for d in sc.decisions.schedule}
    assert "housing_decree_1957" not in ids and "invest_1953_base_housing" in ids
    m = int(np.flatnonzero(sc.decisions.months == np.datetime64("1960-06"))[0])
    assert sc.decisions.at("invest_share_housing", m) == pytest.approx(0.16)
    assert sc.decisions.at("prefab_share", m) == 0.0
    assert "removed" in note


def test_virgin_lands_raised_the_harvest(assessment):
    e = assessment.effect("virgin_lands", "grain")
    assert e.q05 > 0 and direction(e) == 1  # ~40 mn ha more ploughland: a clear gain
    cmp = assessment.comparisons["virgin_lands"]
    assert cmp.diff("virgin_lands_sown_mha")[1960].median() > 30


def test_effects_are_paired_with_minus_without(assessment):
    cmp = assessment.comparisons["maize"]
    per_run = (cmp.b.annual("grain_harvest_mt") - cmp.a.annual("grain_harvest_mt"))
    per_run = per_run[list(range(1954, 1965))].mean(axis=1)
    e = assessment.effect("maize", "grain")
    assert e.median == pytest.approx(per_run.median())
    assert e.q05 <= e.median <= e.q95


def test_table_and_sentences(assessment, tmp_path):
    df = wide_table(assessment)
    assert list(df["policy"]) == ["Virgin Lands (1954-60)", "Maize campaign (1955-64)",
                                  "Housing programme (1957-)"]
    assert any(c.startswith("grain harvest") for c in df.columns)
    vl = next(p for p in assessment.policies if p.id == "virgin_lands")
    text = " ".join(policy_sentences(vl, assessment))
    assert "Without the Virgin Lands campaign, the 1956 harvest would have been" in text
    assert "90% interval" in text and "mn t lower" in text
    path = write_assessment(assessment, tmp_path / "a.html")
    html = path.read_text()
    assert "How successful" in html and "Virgin Lands" in html and "<script src=" not in html


def test_sentence_directions():
    m = Metric("grain", "grain", "grain_harvest_mt", "grain harvest", 1954, 1964)
    pol = load_policies()[0][0]
    up = Effect(pol.id, "grain", 10.0, 5.0, 15.0, 1.0, 110.0, 100.0, "million t")
    assert "10.0 mn t lower (90% interval 5.00 to 15.0" in effect_sentence(pol, m, up)
    down = Effect(pol.id, "grain", -2.0, -3.0, -1.0, 0.0, 98.0, 100.0, "million t")
    assert "2.00 mn t higher (90% interval 1.00 to 3.00" in effect_sentence(pol, m, down)
    unclear = Effect(pol.id, "grain", 0.5, -1.0, 2.0, 0.6, 100.5, 100.0, "million t")
    assert "not have been clearly different" in effect_sentence(pol, m, unclear)
    tiny = Effect(pol.id, "grain", 1e-6, 1e-7, 2e-6, 1.0, 100.0, 100.0, "million t")
    assert direction(tiny) == 0  # negligible: below 0.1% of the level


def test_survival_effect_bootstrap():
    pol = load_policies()[0][0]
    m = Metric("survival", "leader's survival", "first_secretary", "x", 1964, 1964,
               kind="survival")
    with_ = pd.Series([1.0, 1, 0, 1] * 10)
    without = pd.Series([0.0, 1, 0, 0] * 10)
    e = survival_effect(pol, m, with_, without, seed=0)
    assert e.median == pytest.approx(0.5)
    assert 0 < e.q05 <= 0.5 <= e.q95 < 1
    assert e.with_value == 0.75 and e.without_value == 0.25
    assert "75%" in effect_sentence(pol, m, e) and "25%" in effect_sentence(pol, m, e)


def test_cli_assess(tmp_path):
    out = tmp_path / "assess.html"
    res = runner.invoke(app, ["assess", "--runs", "2", "--policy", "maize",
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "Maize campaign" in res.output and "Without the maize campaign" in res.output
    assert out.exists()
    res = runner.invoke(app, ["assess", "--list"])
    assert res.exit_code == 0 and "cuba" in res.output


@pytest.mark.parametrize("args,needle", [
    (["--policy", "nope"], "unknown"),
    (["--base", "no-such-base"], "no-such-base"),
])
def test_cli_assess_bad_input(args, needle, tmp_path):
    res = runner.invoke(app, ["assess", "--runs", "2", *args, "--out", str(tmp_path / "a.html")])
    assert res.exit_code == 2 and needle in res.output and "Traceback" not in res.output


def test_months_in_office(monkeypatch):
    import xarray as xr

    import ottepel.analysis.assess as oa
    import ottepel.analysis.assess.policies as oa_policies
    from ottepel.ensemble.results import Result

    months = np.arange(np.datetime64("1963-12"), np.datetime64("1965-01")).astype("datetime64[ns]")
    fs = np.array([[0.0] * 13, [0.0] * 5 + [3.0] * 8])
    nat = xr.Dataset({"first_secretary": (("run", "month"), fs)},
                     coords={"run": [0, 1], "month": months})
    res = Result("x", 0, nat, xr.Dataset(), pd.DataFrame())
    monkeypatch.setattr(oa_policies, "leader_code", lambda name: 0.0)
    m = Metric("tenure", "g", "first_secretary", "t", 1964, 1964, kind="tenure")
    assert list(oa.months_in_office(res, "Khrushchev", m)) == [12.0, 4.0]
    assert list(oa.in_office_at_end(res, "Khrushchev")) == [1.0, 0.0]


def test_mean_interval_and_average_table(assessment):
    from ottepel.analysis.assess import mean_interval

    m, lo, hi = mean_interval(np.array([1.0, 2.0, 3.0, 4.0] * 25), seed=0)
    assert m == 2.5 and lo < 2.5 < hi and hi - lo < 0.6
    e = assessment.effect("virgin_lands", "grain")
    assert e.mean_q05 <= e.mean <= e.mean_q95
    df = wide_table(assessment, "grain", average=True)
    assert df.shape[0] == 3 and "[" in df.iloc[0, 1]
