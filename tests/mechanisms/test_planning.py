"""Tests of the planning mechanism: ratchet, padding choice, audits, councils, pledges."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from ottepel.core.engine import initial_state, run_chunk
from ottepel.core.mechanisms import planning as P
from ottepel.core.rng import Streams
from ottepel.core.scenario import load_scenario
from ottepel.ensemble.simulate import simulate

RUNS = 8


# ---------------------------------------------------------------- ratchet

def test_ratchet_known_answers():
    rep = np.array([100.0, 80.0, 50.0])
    tgt = np.array([90.0, 100.0, 0.0])
    new = P.ratchet(rep, tgt, 0.05, 0.3, -0.5)
    # over: 1.05*100 + 0.3*(100-90); under: 1.05*80 - 0.5*(80-100); no plan: 1.05*50
    np.testing.assert_allclose(new, [108.0, 94.0, 52.5])


def test_ratchet_weitzman_partial_adjustment():
    """lambda = -(1+g)(1-l) gives Weitzman's T' = (1+g)(l R + (1-l) T)."""
    g, weight = 0.04, 0.6
    lam = -(1 + g) * (1 - weight)
    rep, tgt = np.array([120.0, 70.0]), np.array([100.0, 100.0])
    np.testing.assert_allclose(P.ratchet(rep, tgt, g, lam, lam),
                               (1 + g) * (weight * rep + (1 - weight) * tgt))


def test_ratchet_float32_and_never_negative():
    rep = np.array([1.0, 0.0], dtype=np.float32)
    tgt = np.array([10.0, 10.0], dtype=np.float32)
    new = P.ratchet(rep, tgt, 0.0, -1.0, 1.0)  # under: R + 1*(R - T) < 0 -> 0
    assert new.dtype == np.float32
    assert np.all(new >= 0)
    assert new[1] == 0


# ---------------------------------------------------------------- padding choice

def test_padding_known_answer_and_cap():
    t, x = np.array([1.2, 3.0, 0.9, 0.0]), np.ones(4)
    s = P.padding_share(t, x, 1.0, 1.0, 0.35)
    # c/(c+k) = 1/2 of the 20% gap; capped at 0.35; none above plan or without a plan
    np.testing.assert_allclose(s, [0.1, 0.35, 0.0, 0.0])


def test_padding_monotone_in_gap():
    t = np.linspace(0.5, 2.0, 200)
    s = P.padding_share(t, np.ones_like(t), 1.0, 0.8, 0.35)
    assert np.all(np.diff(s) >= 0)
    below_cap = (t > 1.0) & (s < 0.35)
    assert np.all(np.diff(s[below_cap]) > 0)


def test_padding_decreasing_in_audit_times_punishment():
    audit_prob = np.linspace(0.01, 0.5, 50)
    punishment = 20.0
    s = P.padding_share(np.full(50, 1.3), np.ones(50), 1.0, audit_prob * 0.6 * punishment, 2.0)
    assert np.all(np.diff(s) < 0)
    # harsher punishment at the same audit probability pads less
    lo = P.padding_share(np.array([1.3]), np.ones(1), 1.0, 0.1 * 10.0, 2.0)
    hi = P.padding_share(np.array([1.3]), np.ones(1), 1.0, 0.1 * 40.0, 2.0)
    assert hi[0] < lo[0]


def test_corrected_target_excuses_share_of_region_shortfall():
    tgt = np.full((1, 4, 2, 2), 50.0)        # region target 100 in both regions
    true = np.array([[[80.0, 120.0]] * 4])   # region 0 short by 20%, region 1 above plan
    out = P.corrected_target(tgt, true, 0.5)
    np.testing.assert_allclose(out[0, 0, 0], 45.0)   # 50 * (1 - 0.5 * 0.2)
    np.testing.assert_allclose(out[0, 0, 1], 50.0)


# ---------------------------------------------------------------- audits

def test_audit_detection_rate_fixed_seed():
    n = 40_000
    u = Streams(7, np.arange(1)).uniform(3, "test.audit", (n,))[0]
    padded = np.arange(n) % 2 == 0
    q, d = 0.25, 0.6
    audited, found = P.audit(padded, q, d, u)
    tol_a = 4 * np.sqrt(q * (1 - q) / n)
    assert abs(audited.mean() - q) < tol_a
    rate = found[padded].mean()
    assert abs(rate - q * d) < 4 * np.sqrt(q * d * (1 - q * d) / padded.sum())
    assert not found[~padded].any()
    # given an audit, padding is found with probability d
    cond = found[padded & audited].mean()
    assert abs(cond - d) < 4 * np.sqrt(d * (1 - d) / (padded & audited).sum())


def test_split_uniform_gives_independent_uniforms():
    u = Streams(1, np.arange(1)).uniform(0, "test.split", (50_000,))[0]
    parts = P.split_uniform(u, 4)
    assert parts.shape == (50_000, 4)
    assert 0 < parts.min() and parts.max() < 1
    assert np.all(np.abs(parts.mean(0) - 0.5) < 0.01)
    assert np.all(np.abs(parts.var(0) - 1 / 12) < 0.003)
    corr = np.corrcoef(parts.T)
    assert np.all(np.abs(corr[np.triu_indices(4, 1)]) < 0.02)


# ---------------------------------------------------------------- books and councils

def test_producer_output_keeps_region_totals():
    rng = np.random.default_rng(0)
    region = rng.uniform(1, 5, (3, 4, 6))
    second = rng.uniform(0.1, 0.9, (3, 4, 6))
    w = np.exp(rng.normal(0, 0.3, (3, 4, 6, 8))).astype(np.float32)
    x = P.producer_output(region, second, w)
    np.testing.assert_allclose(x.sum(-1), region, rtol=1e-5)
    np.testing.assert_allclose(x[..., 4:].sum(-1) / region, second, rtol=1e-5)


def test_deliveries_ministries_councils_and_merger():
    q = np.array([0.5, 0.3, 0.2])
    loc = np.full((2, 3), 0.2)
    ratio_m, nat_m = P.deliveries(q, 0.0, loc, 0.03, councils=False)
    ratio_c, nat_c = P.deliveries(q, 0.0, loc, 0.03, councils=True)
    ratio_j, nat_j = P.deliveries(q, np.array([0.5, 0.5, 0.0]), loc, 0.03, councils=True)
    np.testing.assert_allclose(ratio_m, 0.97)
    np.testing.assert_allclose(ratio_c, 0.77)
    assert np.all(nat_c < nat_m) and np.all(nat_j > nat_c)
    np.testing.assert_allclose(ratio_j[:, 0], 0.97 - 0.2 * 0.5)


def test_region_batches_cover_each_hit_once():
    mask = np.array([[1, 0, 1, 1], [0, 0, 0, 0], [0, 1, 0, 0]], bool)
    seen = np.zeros_like(mask)
    for hit, region in P.region_batches(mask):
        rows = np.flatnonzero(hit)
        assert not seen[rows, region[rows]].any()
        seen[rows, region[rows]] = True
    assert (seen == mask).all()


def test_structure_shares():
    s = P.structure()
    assert abs(s.industry_share.sum() - 1) < 1e-12
    assert abs((s.industry_share * s.group_a_share).sum() - 0.70) < 0.02
    assert len(np.unique(s.council_1963)) == 46
    assert np.all((s.partner_share_1963 >= 0) & (s.partner_share_1963 < 1))


# ---------------------------------------------------------------- pledges

def test_chase_slaughters_breeding_stock_and_buys_meat():
    sc = load_scenario("khrushchev-1953")
    st = initial_state(sc, np.arange(3), seed=0)
    ls, pl = st.livestock, st.planning
    st = st.with_domain("planning", dataclasses.replace(pl, pledge_mt=3.0 * ls.meat_mt))
    out = P.chase_pledges(st, sc.params)
    p, carcass = sc.params.planning, sc.params.livestock.cattle_carcass_t
    head = out.planning.slaughter_head
    np.testing.assert_allclose(out.livestock.cattle, ls.cattle - head)
    np.testing.assert_allclose(out.livestock.meat_mt, ls.meat_mt + head * carcass)
    assert np.all(head <= p.slaughter_cap * ls.cattle + 1e-12)
    assert np.all(out.planning.purchased_mt <= p.purchase_cap * ls.meat_mt + 1e-12)
    assert np.all(head > 0)


# ---------------------------------------------------------------- whole-model runs

@pytest.fixture(scope="module")
def replay():
    return simulate("khrushchev-1953", runs=RUNS, seed=3)


def test_two_sets_of_books(replay):
    nat = replay.national
    for true, rep in (("grain_harvest_mt", "grain_harvest_reported_mt"),
                      ("meat_production_mt", "meat_production_reported_mt"),
                      ("milk_production_mt", "milk_production_reported_mt")):
        t, r = replay.annual(true), replay.annual(rep)
        assert (r >= t * (1 - 1e-6)).all().all()
        np.testing.assert_allclose(r[1953], t[1953], rtol=1e-6)  # no plan yet in 1953
    assert (replay.annual("padding_ratio_grain").loc[:, 1954:] > 0).all().all()
    assert "industrial_output_index_reported" in nat


def test_reform_cuts_interregional_deliveries(replay):
    d = replay.annual("interregional_delivery_ratio")
    assert (d[1956] > d[1958]).all()
    np.testing.assert_allclose(d[1956], 0.97)  # ministries: only the common friction


def test_events_have_causes(replay):
    ev = replay.events
    audits = ev[ev.kind == "audit"]
    assert len(audits) and audits["causes"].str.contains("audit intensity").all()
    assert (audits["magnitude"] > 0).all()


def test_pledges_only_in_campaign_years(replay):
    pledges = replay.events[replay.events.kind == "pledge"]
    assert set(pledges["month"].dt.year) <= {1958, 1959, 1960}


def test_no_campaign_no_pledges_no_slaughter():
    res = simulate("no-meat-campaign", runs=RUNS, seed=3)
    assert not (res.events.kind.isin(["pledge", "herd_collapse"])).any()
    assert float(np.nansum(res.annual("pledge_slaughter_mn_head").values)) == 0.0


def test_run_alone_equals_run_in_chunk():
    sc = load_scenario("khrushchev-1953")
    chunk = run_chunk(sc, np.arange(5), seed=11)
    alone = run_chunk(sc, np.array([3]), seed=11)
    for k in P.NATIONAL:
        np.testing.assert_array_equal(chunk.national[k][3], alone.national[k][0])
    for k in P.REGIONAL:
        np.testing.assert_array_equal(chunk.regional[k][3], alone.regional[k][0])
    ev_c = chunk.events[chunk.events.run == 3].reset_index(drop=True)
    ev_a = alone.events.reset_index(drop=True)
    assert ev_c[["kind", "actors", "causes"]].equals(ev_a[["kind", "actors", "causes"]])
    np.testing.assert_array_equal(ev_c["magnitude"].to_numpy(), ev_a["magnitude"].to_numpy())


def test_fear_from_repression_domain_scales_punishment():
    from types import SimpleNamespace

    sc = load_scenario("khrushchev-1953")
    st = initial_state(sc, np.arange(2), seed=0)
    pl = st.planning
    bare = dataclasses.replace(st, domains={k: v for k, v in st.domains.items()
                                            if k not in ("repression", "society")})
    assert P._repression(bare, pl)[0] == 1.0  # no repression domain: fear stays at 1953's
    st = st.with_domain("repression", SimpleNamespace(fear=np.array([1.0, 1.0])))
    ratio, ref = P._repression(st, pl)
    np.testing.assert_allclose(ratio, 1.0)
    pl = dataclasses.replace(pl, repression_ref=np.asarray(ref) * np.ones_like(pl.repression_ref))
    st = st.with_domain("repression", SimpleNamespace(fear=np.array([0.5, 0.25])))
    ratio, _ = P._repression(st, pl)
    np.testing.assert_allclose(ratio[:, 0], [0.5, 0.25])
    k_full, _, _ = P._deterrence(st.with_domain("planning", pl), sc.decisions, sc.params.planning, pl)
    assert k_full.shape == pl.target.shape
