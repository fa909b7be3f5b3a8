"""Politics: leaders, the Central Committee, coalitions, votes, modes and patterns."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from ottepel.analysis.politics_report import leader_power, office_holders
from ottepel.analysis.validation.politics_patterns import political_patterns, wilson
from ottepel.core.decisions import Decisions
from ottepel.core.engine import initial_state, run_chunk
from ottepel.core.mechanisms.politics import cc as ccm
from ottepel.core.mechanisms.politics import moves as mv
from ottepel.core.mechanisms.politics import struggle as st
from ottepel.core.mechanisms.politics.leaders import (
    ACTIVE,
    ARRESTED,
    DEMOTED,
    FS,
    MEMBER_TYPES,
    PREMIER,
    RETIRED,
    SECURITY,
    cc_composition,
    load_leaders,
)
from ottepel.core.scenario import load_scenario
from ottepel.ensemble.simulate import simulate

LT = load_leaders()
KH, MAL, BER, BUL, BRE = (LT.index(k) for k in ("khrushchev", "malenkov", "beria", "bulganin",
                                                  "brezhnev"))


@pytest.fixture(scope="module")
def scenario():
    return load_scenario()


@pytest.fixture(scope="module")
def params(scenario):
    return scenario.params.politics


@pytest.fixture(scope="module")
def long_run():
    """200 free runs of the scenario extended to 1966 (fixed seed)."""
    return simulate("khrushchev-1953-to-1966", runs=200, seed=11, chunk_size=200)


# ---- data ---------------------------------------------------------------------------

def test_leader_table_is_sourced_and_consistent():
    from ottepel.data import _read_csv

    df = _read_csv("leaders.csv")
    assert df["source"].notna().all() and df["confidence"].notna().all()
    assert LT.n == 20
    for col in (LT.reform, LT.consumer):
        assert np.all((col >= -1) & (col <= 1))
    for col in (LT.ambition, LT.skill, LT.legitimacy):
        assert np.all((col >= 0) & (col <= 1))
    assert np.array_equal(LT.ties, LT.ties.T)
    # offices of 5 March 1953 (events.csv)
    assert LT.offices_1953[FS] == KH and LT.offices_1953[PREMIER] == MAL
    assert LT.offices_1953[SECURITY] == BER
    assert LT.presidium_1953.sum() == 10


def test_cc_composition_sizes():
    comp = cc_composition()
    assert list(comp["size"]) == [125, 133, 175, 195]
    assert list(comp["congress"]) == [19, 20, 22, 23]


# ---- coalition logic (known answers) ------------------------------------------------

def _synthetic(n_pres=5):
    """One run: leaders 0..n_pres-1 in the Presidium, equal power, no coercion."""
    n = LT.n
    pres = np.zeros((1, n), bool)
    pres[0, :n_pres] = True
    z = np.zeros((1, n))
    return SimpleNamespace(
        presidium=pres, active=np.ones((1, n), bool), army=z.copy(), security=z.copy(),
        norm=np.array([0.9]), fs=np.array([0]), arbiter=np.array([0.0]),
        power=np.ones((1, n)), prestige=z.copy(), leader_patron=np.full((1, n), -1),
        counts=np.zeros((1, n + 1, len(MEMBER_TYPES))), grievance=np.zeros((1, len(MEMBER_TYPES))),
        society_grievance=np.zeros(1), destal_shock=np.zeros(1))


def test_presidium_majority_decides_belief(params):
    s = _synthetic(5)
    tg = np.array([[0, 1, -1, -1]])  # target the First Secretary (0) and leader 1
    h = np.full((1, 4, LT.n), -1.0)
    h[0, 0, [1, 2, 3]] = 1.0          # three of the other four against 0: a majority of 5
    h[0, 1, [2, 3]] = 1.0             # two against 1: a minority
    a = st.assess(s, tg, h, params)
    assert a["yes"][0, 0] == 3 and a["yes"][0, 1] == 2 and a["npres"][0] == 5
    expect = 1 / (1 + np.exp(-(3 - 2.5) / params.presidium_vote_scale))
    assert a["belief"][0, 0] == pytest.approx(expect)  # arbiter 0: the CC is not feared
    assert a["belief"][0, 1] < 0.5 < a["belief"][0, 0]
    assert not a["arrest"].any()  # nobody has force
    assert a["coal"][0, 0].sum() == 3 and a["init"][0, 0] in (1, 2, 3)


def test_arrest_needs_force_and_uses_the_force_ratio(params):
    s = _synthetic(5)
    s.security[0, 1] = 1.0            # leader 1 is a security chief
    s.army[0, 2] = 0.5                # leader 2 commands the army
    tg = np.array([[1, -1, -1, -1]])
    h = np.full((1, 4, LT.n), -1.0)
    h[0, 0, [0, 2, 3]] = 1.0
    a = st.assess(s, tg, h, params)
    f_t, f_c = params.security_weight * 1.0, 0.5
    assert a["arrest"][0, 0]
    p_force = 1 / (1 + (f_t / (params.surprise * f_c)) ** 2)
    assert a["p_force"][0, 0] == pytest.approx(p_force)
    h[0, 0, 2] = -1.0                 # the army's man stays out: no force, no arrest
    assert not st.assess(s, tg, h, params)["arrest"][0, 0]


def test_clients_defer_to_their_patron(scenario, params):
    state = initial_state(scenario, np.arange(1), 3)
    ps = state.politics
    s = SimpleNamespace(
        fs=ps.offices[:, FS], offices=ps.offices, policy_grievance=np.zeros((1, LT.n)),
        cc_mood=np.zeros(1), leader_patron=np.full((1, LT.n), -1), grudge=ps.grudge,
        idx=np.arange(1), active=ps.status == ACTIVE, power=ps.standing)
    tg = np.array([[BER, MAL, -1, -1]])
    thr = np.zeros((1, LT.n))
    noise = np.zeros((1, LT.n))
    own = st.hostility(s, tg, thr, noise, params)
    s.leader_patron = s.leader_patron.copy()
    s.leader_patron[0, BRE] = KH
    led = st.hostility(s, tg, thr, noise, params)
    c = params.follow_patron
    # against a third party the client mixes his own hostility with his patron's
    assert led[0, 0, BRE] == pytest.approx((1 - c) * own[0, 0, BRE] + c * own[0, 0, KH])
    # against his patron he is held back by loyalty
    tg2 = np.array([[KH, -1, -1, -1]])
    assert (st.hostility(s, tg2, thr, noise, params)[0, 0, BRE]
            == pytest.approx(st.hostility(_unlinked(s), tg2, thr, noise, params)[0, 0, BRE]
                             - params.client_loyalty))


def _unlinked(s):
    t = SimpleNamespace(**vars(s))
    t.leader_patron = np.full_like(s.leader_patron, -1)
    return t


# ---- votes (known answers) ----------------------------------------------------------

def test_plenum_vote_counts_by_patron(params):
    p = params.replace("cc_vote_scale", 1e-3).replace("cc_plenum_shock", 0.0)
    members = {"type": np.zeros((1, 6), np.int8), "patron": np.array([[KH, KH, KH, MAL, MAL, -1]]),
               "stance": np.zeros((1, 6)), "offset": np.zeros((1, 6))}
    coal = np.zeros((1, LT.n), bool)
    coal[0, MAL] = True
    grv = np.zeros((1, len(MEMBER_TYPES)))
    grv[0, 0] = 0.1
    common = np.array([-0.01])        # the unaffiliated member leans slightly against
    v_for, v_against = ccm.plenum_vote(members, coal, np.array([KH]), np.array([MAL]),
                                       np.full((1, LT.n), -1), grv, np.zeros(1), common,
                                       np.zeros(1), np.full((1, 6), 0.5), np.zeros(1), p)
    assert v_for[0] == 3 and v_against[0] == 3
    members["type"][0, 5] = -1        # an empty seat does not vote
    v_for, v_against = ccm.plenum_vote(members, coal, np.array([KH]), np.array([MAL]),
                                       np.full((1, LT.n), -1), grv, np.zeros(1), common,
                                       np.zeros(1), np.full((1, 6), 0.5), np.zeros(1), p)
    assert v_for[0] + v_against[0] == 5


def test_support_estimate_follows_patronage(params):
    counts = np.zeros((1, LT.n + 1, len(MEMBER_TYPES)))
    counts[0, KH, 0] = 80
    counts[0, MAL, 0] = 20
    coal = np.zeros((1, LT.n), bool)
    coal[0, MAL] = True
    grv = np.zeros((1, len(MEMBER_TYPES)))
    args = (np.array([KH]), np.array([MAL]), np.full((1, LT.n), -1), grv, np.zeros(1), params)
    share = ccm.support_estimate(counts, coal, *args)
    assert 0.6 < share[0] < 0.8
    grv[0, 0] = 3.0                   # a deeply aggrieved CC turns against its patron
    assert ccm.support_estimate(counts, coal, *args)[0] < 0.3


def test_fate_of_losers_follows_the_norm():
    u = (np.arange(1000) + 0.5) / 1000
    harsh = mv.fate_of(u, np.full(1000, 0.9))
    mild = mv.fate_of(u, np.full(1000, 0.05))
    assert (harsh == ARRESTED).mean() == pytest.approx(0.81, abs=0.002)
    assert (mild == ARRESTED).mean() < 0.01
    assert (mild == RETIRED).mean() > (mild == DEMOTED).mean()


# ---- the Central Committee over time ------------------------------------------------

def _at(result, var, month):
    da = result.national[var]
    i = int(np.flatnonzero(pd.to_datetime(da["month"].values) == pd.Timestamp(month))[0])
    return da.values[:, i]


def test_cc_size_after_congresses(long_run):
    for month, size in (("1953-03", 125), ("1956-01", 125), ("1956-02", 133), ("1961-09", 133),
                        ("1961-10", 175), ("1966-03", 175), ("1966-04", 195)):
        assert np.all(_at(long_run, "cc_size", month) == size), month
    shares = sum(_at(long_run, f"cc_share_{t}", "1953-03") for t in MEMBER_TYPES)
    assert np.allclose(shares, 1.0)


def test_circular_flow_and_decentralisation(long_run):
    kh_fs = _at(long_run, "first_secretary", "1957-01") == KH
    early = _at(long_run, "cc_clients_of_first_secretary", "1953-03")[kh_fs]
    later = _at(long_run, "cc_clients_of_first_secretary", "1957-01")[kh_fs]
    assert np.median(later) > np.median(early) + 0.1
    reg0, reg1 = (_at(long_run, "cc_share_regional_secretary", m) for m in ("1957-06", "1957-08"))
    min0, min1 = (_at(long_run, "cc_share_minister", m) for m in ("1957-06", "1957-08"))
    assert np.median(reg1) > np.median(reg0) and np.median(min1) < np.median(min0)


# ---- determinism, modes, gating -----------------------------------------------------

def test_run_alone_equals_run_in_chunk(scenario):
    alone = run_chunk(scenario, np.array([7]), seed=4)
    chunk = run_chunk(scenario, np.arange(10), seed=4)
    for var in ("first_secretary", "premier", "power_khrushchev", "cc_clients_of_first_secretary",
                "cc_grievance", "violence_norm"):
        assert np.array_equal(alone.national[var][0], chunk.national[var][7], equal_nan=True), var
    ev_a = alone.events.drop(columns="run").reset_index(drop=True)
    ev_c = chunk.events[chunk.events["run"] == 7].drop(columns="run").reset_index(drop=True)
    pd.testing.assert_frame_equal(ev_a, ev_c)


def test_pinned_mode_follows_the_record(scenario):
    sc = dataclasses.replace(scenario, politics="pinned")
    r = simulate(sc, runs=2, seed=1)
    fs, pm = office_holders(r, "first_secretary"), office_holders(r, "premier")
    assert fs.loc[0, pd.Timestamp("1964-09-01")] == "Khrushchev"
    assert fs.loc[0, pd.Timestamp("1964-10-01")] == "Brezhnev"
    assert [pm.loc[1, pd.Timestamp(m)] for m in ("1955-01-01", "1955-02-01", "1958-03-01",
                                                  "1964-10-01")] == [
        "Malenkov", "Bulganin", "Khrushchev", "Kosygin"]
    votes = r.events[r.events["kind"] == "presidium_vote"]
    assert len(votes) == 4  # June 1957 and October 1964, two runs


def test_at_runs_gates_by_adoption(scenario):
    dec: Decisions = scenario.decisions
    m = int(np.flatnonzero(dec.months == np.datetime64("1960-06"))[0])
    col = dec.sponsors.index("Khrushchev")
    state = initial_state(scenario, np.arange(3), 0)
    adopt = np.ones((3, len(dec.sponsors)))
    adopt[1, col] = 0.0
    adopt[2, col] = 0.5
    state = state.with_domain("politics", SimpleNamespace(adoption=adopt))
    v = dec.at_runs("maize_target_mha", m, state)
    hist = dec.at("maize_target_mha", m)
    last_year = dec.values["maize_target_mha"][m - 12]
    assert v[0] == pytest.approx(hist) and v[1] == pytest.approx(last_year)
    assert v[2] == pytest.approx(0.5 * (hist + last_year))
    no_politics = dataclasses.replace(state, domains={})
    assert np.allclose(dec.at_runs("maize_target_mha", m, no_politics), hist)


# ---- outputs and patterns -----------------------------------------------------------

def test_leader_power_accessor(long_run):
    da = leader_power(long_run)
    assert da.dims == ("run", "month", "leader") and da.sizes["leader"] == LT.n
    assert float(da.sel(leader="Beria").isel(month=0).median()) > 0
    fs = office_holders(long_run)
    assert (fs.iloc[:, 0] == "Khrushchev").mean() > 0.95


def test_wilson_interval():
    lo, hi = wilson(50, 100)
    assert lo == pytest.approx(0.4038, abs=1e-3) and hi == pytest.approx(0.5962, abs=1e-3)


def test_political_patterns_fixed_seed(long_run):
    """Each historical branch is the most likely and none is certain (200 runs, seed 11).

    Tolerance: with 200 runs the standard error of a probability is at most 0.035; the
    1,000-run values are 0.63-0.95, so "> 0.5" leaves at least three standard errors.
    """
    pat = political_patterns(long_run).set_index("pattern")
    hist = pat[pat["historical"]]
    assert len(hist) == 5
    assert (hist["probability"] > 0.5).all(), hist["probability"]
    assert (hist["probability"] < 1.0).all()
    assert (pat.loc[~pat["historical"], "probability"] > 0).all()
    assert (pat["ci_low"] <= pat["probability"]).all() and (pat["probability"] <= pat["ci_high"]).all()


def test_play_reads_the_politics_domain(scenario):
    from ottepel.interfaces.play import politics_view

    state = initial_state(scenario, np.arange(1), 0)
    view = politics_view(state, "khrushchev")
    assert view["first_secretary"] == "Khrushchev" and not view["removed"]
    assert 0 < view["leader_power"] < 1
