"""Invariants, property-tested over random valid scenarios and seeds.

A random scenario inherits the historical one and removes some decisions, rescales or
re-dates others (within each lever's range), overrides some grain and crop parameters,
ends between 1954 and 1959 and runs 4 to 8 runs with a random seed, under ``debug=True``
(``ottepel.core.state.validate`` every month: no negative stock, population or herd, finite
values, land in use within land available, the grain balance closed to date). The
results are then checked independently: the yearly grain balance recomputed from the
recorded national variables closes, and reported and true quantities are non-negative.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ottepel import simulate
from ottepel.core.engine import initial_state, step_month
from ottepel.core.invariants import (
    check_grain_balance,
    check_land,
    land_available_mha,
    land_in_use_mha,
    validate,
)
from ottepel.core.mechanisms import LEVERS, PARAM_GROUPS
from ottepel.core.scenario import _resolve, load_scenario, read_spec

PARENT, _ = read_spec(_resolve("khrushchev-1953", None))
DECISIONS = {d.id: d for d in PARENT.decision}
SIGNED = ("_change_", "_residual_")  # national quantities that may be negative
PARAM_CHOICES = {
    "agriculture": ["yield_scale", "losses", "seed_rate", "rural_food", "above_quota_share",
                    "maize_from_fallow", "maize_grain_share", "maize_kappa", "erosion_rate",
                    "same_year_sown", "virgin_sown_share"],
    "grain": ["stock_1953", "reserve_floor", "import_capacity", "import_threshold",
              "min_export_share", "feed_release_share"],
}
COUNTER = itertools.count()


def scale_range(d) -> tuple[float, float]:
    """Scales that keep every value of a decision within its lever's range."""
    lever = LEVERS[d.lever]
    values = [d.value] if d.value is not None else list((d.by_region or d.by_republic).values())
    lo, hi = 0.0, 100.0
    for v in values:
        if v > 0:
            lo, hi = max(lo, lever.lo / v), min(hi, lever.hi / v)
    return lo, hi


@st.composite
def scenario_text(draw) -> str:
    ids = sorted(DECISIONS)
    removed = draw(st.lists(st.sampled_from(ids), unique=True, max_size=10))
    rest = [i for i in ids if i not in removed]
    modified = draw(st.lists(st.sampled_from(rest), unique=True, max_size=12))
    end = f"{draw(st.integers(1954, 1959))}-{draw(st.integers(1, 12)):02d}"
    lines = [f'name = "random-{next(COUNTER)}"', 'inherits = "khrushchev-1953"',
             f'end = "{end}"', f'weather = "{draw(st.sampled_from(["historical", "stochastic"]))}"']
    if removed:
        lines.append("remove = [" + ", ".join(f'"{r}"' for r in removed) + "]")
    for group, names in PARAM_CHOICES.items():
        chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=3))
        if chosen:
            lines.append(f"[params.{group}]")
        for name in chosen:
            extra = PARAM_GROUPS[group].model_fields[name].json_schema_extra
            lines.append(f"{name} = {draw(st.floats(extra['lo'], extra['hi'])):.6g}")
    for did in modified:
        lo, hi = scale_range(DECISIONS[did])
        scale = draw(st.floats(lo * 1.001, hi * 0.999)) if lo < hi else 1.0
        lines += ["[[modify]]", f'id = "{did}"', f"scale = {scale:.6g}"]
        if draw(st.booleans()):
            lines.append(f'date = "{draw(st.integers(1953, 1959))}-{draw(st.integers(3, 12)):02d}"')
    return "\n".join(lines) + "\n"


def check_grain_balance_from_results(result, sc) -> None:
    """harvest + imports = food + feed + seed + exports + stock change + losses, by year."""
    def annual(v):
        return result.annual(v).to_numpy()

    stock = annual("state_grain_stock_mt")
    opening = np.column_stack([np.broadcast_to(sc.params.grain.stock_1953, stock[:, :1].shape),
                               stock[:, :-1]])
    change = stock - opening
    np.testing.assert_allclose(annual("grain_stock_change_mt"), change, atol=1e-9)
    supply = annual("grain_harvest_mt") + annual("grain_imports_mt")
    uses = (annual("grain_food_mt") + annual("grain_feed_mt") + annual("grain_seed_mt")
            + annual("grain_exports_shipped_mt") + change + annual("grain_losses_mt"))
    np.testing.assert_allclose(supply, uses, rtol=1e-9, atol=1e-7,
                               err_msg="the grain balance does not close")
    np.testing.assert_allclose(annual("grain_balance_residual_mt"), 0.0, atol=1e-7)
    losses = np.asarray(sc.params.agriculture.losses)
    np.testing.assert_allclose(annual("grain_losses_mt"), losses * annual("grain_harvest_mt"),
                               rtol=1e-12)
    seed_need = sc.params.agriculture.seed_rate * annual("grain_sown_mha")
    assert np.all(annual("grain_seed_mt") <= seed_need + 1e-9)


def check_quantities_non_negative(result) -> None:
    """Every reported quantity and its true counterpart is >= 0 (NaN = not recorded)."""
    nat = result.national
    reported = [v for v in nat.data_vars if v.endswith("_reported_mt")]
    pairs = [(r, r.replace("_reported_mt", "_mt")) for r in reported]
    for rep, true in pairs:
        assert true in nat, f"{rep} has no true counterpart {true}"
        for v in (rep, true):
            assert not (nat[v] < -1e-9).any(), f"{v} has negative values"
    quantities = [v for v in nat.data_vars if v.endswith(("_mt", "_mn", "_mha", "_mn_head"))
                  and not any(s in f"{v}_" for s in SIGNED)]
    negative = [v for v in quantities if (nat[v] < -1e-9).any()]
    note = ("" if pairs else "no *_reported_mt variables exist yet (planning not merged): "
            "checked the true quantities only; ")
    assert not negative, f"{note}negative values in {negative}"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("invariants")


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(text=scenario_text(), seed=st.integers(0, 2**40), runs=st.integers(4, 8))
def test_invariants_hold_in_random_valid_scenarios(workdir, text, seed, runs):
    path = workdir / f"s{next(COUNTER)}.toml"
    path.write_text(text, encoding="utf-8")
    sc = load_scenario(path)
    result = simulate(sc, runs=runs, seed=seed, chunk_size=runs, debug=True)  # validate monthly
    nat = result.national
    assert float(nat["population_mn"].min()) > 100.0
    for v in ("state_grain_stock_mt", "cattle_mn_head", "pigs_mn_head"):
        assert float(nat[v].min()) >= 0.0, v
    check_grain_balance_from_results(result, sc)
    check_quantities_non_negative(result)


def run_states(sc, runs: int, seed: int):
    """Yield the state after every month (for invariants the results do not record)."""
    state = initial_state(sc, np.arange(runs), seed)
    for m in range(len(sc.months)):
        state = step_month(state, sc.months, m, sc.decisions, sc.params)
        yield state


@pytest.mark.parametrize("from_fallow", [0.0, 0.8])
def test_land_in_use_never_exceeds_land_available(tmp_path, from_fallow):
    """Grain sown (April-August) within old arable + ploughed virgin land, every region.

    With maize_from_fallow = 0 all maize comes from grain and fodder land; with 0.8 most
    of it from fallow (the land balance must still close).
    """
    path = tmp_path / "plough.toml"
    path.write_text('name = "plough"\ninherits = "khrushchev-1953"\nend = "1962-12"\n'
                    f'[params.agriculture]\nmaize_from_fallow = {from_fallow}\n'
                    'maize_grain_share = 0.8\n'
                    '[[modify]]\nid = "virgin_lands_1954"\nscale = 2.3\n'
                    '[[modify]]\nid = "maize_1960"\nscale = 2.0\n', encoding="utf-8")
    checked = 0
    for state in run_states(load_scenario(path), runs=4, seed=7):
        if 4 <= state.clock.month_of_year <= 8:
            ag = state.agriculture
            slack = land_available_mha(ag) - ag.grain_sown_mha
            assert slack.min() >= -1e-9, (state.clock, slack.min())
            checked += 1
        assert check_land(state) == [] and check_grain_balance(state) == []
    assert checked == 10 * 5


def test_land_check_catches_an_excess():
    sc = load_scenario()
    state = next(s for s in run_states(sc, 2, 0) if s.clock.month_of_year == 5)
    ag = state.agriculture
    slack = land_available_mha(ag) - land_in_use_mha(ag)
    bad = dataclasses.replace(ag, grain_sown_mha=ag.grain_sown_mha + slack + 0.5)
    problems = check_land(state.with_domain("agriculture", bad))
    assert problems and "exceeds land available by 0.5 million ha" in problems[0]
    assert any("land" in p for p in validate(state.with_domain("agriculture", bad)))


def test_grain_balance_check_catches_a_leak():
    sc = load_scenario()
    state = next(s for s in run_states(sc, 2, 0) if s.clock.month_of_year == 10)
    g = state.grain
    leaky = dataclasses.replace(g, stock=g.stock + 1.0)
    assert "residual" in check_grain_balance(state.with_domain("grain", leaky))[0]


def test_grain_balance_closes_when_stocks_run_out(tmp_path):
    """A stressed scenario where state stocks hit zero and villages go short."""
    path = tmp_path / "stress.toml"
    path.write_text('name = "stress"\ninherits = "khrushchev-1953"\nend = "1958-12"\n'
                    '[params.agriculture]\nyield_scale = 0.5\nrural_food = 0.28\n'
                    '[params.grain]\nstock_1953 = 10.0\nreserve_floor = 2.0\n'
                    'import_capacity = 2.0\nimport_threshold = 5.0\n'
                    '[[modify]]\nid = "exports_plan_1954"\nvalue = 15.0\n', encoding="utf-8")
    sc = load_scenario(path)
    result = simulate(sc, runs=4, seed=3, debug=True)
    assert float((result.national["state_grain_stock_mt"] <= 1e-12).sum()) > 0
    assert float(result.national["rural_food_gap_mt"].max()) > 0
    check_grain_balance_from_results(result, sc)


def test_exports_shipped_follow_the_crop_year_commitments():
    """Shipped in a calendar year: 8/12 of last crop year's exports and 4/12 of this one's.

    Holds in the years when state stocks never ran out (else every use is cut pro rata).
    """
    result = simulate(runs=3, seed=11)
    shipped = result.annual("grain_exports_shipped_mt").to_numpy()[:, 1:]
    booked = result.annual("grain_exports_mt").to_numpy()
    stock = result.national["state_grain_stock_mt"]
    year_min = stock.groupby("month.year").min().to_numpy()[:, 1:]  # (runs, years from 1954)
    full = year_min > 0
    assert full.sum() >= 20
    expected = booked[:, :-1] * 8 / 12 + booked[:, 1:] * 4 / 12
    np.testing.assert_allclose(shipped[full], expected[full], rtol=1e-9)
