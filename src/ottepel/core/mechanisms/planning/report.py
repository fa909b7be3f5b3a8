"""Planning in December: true output by producer, padded reports, audits, herd books."""

from __future__ import annotations

import dataclasses

import numpy as np

from ottepel.core.mechanisms.planning.books import PlanningState, structure
from ottepel.core.mechanisms.planning.kernels import (
    _lines,
    _texts,
    audit,
    corrected_target,
    padding_share,
    producer_output,
    region_batches,
    row_sum,
    split_uniform,
)
from ottepel.core.mechanisms.planning.params import (
    EPISODE_FALL,
    EPISODE_HERD_FALL,
    EPISODE_JUMP,
    FARM,
    GRAIN,
    IND,
    LINES,
    LIVESTOCK,
    MEAT,
    NAME,
)
from ottepel.core.state import State, event


def _true_by_region(state: State, pl: PlanningState, p) -> np.ndarray:
    """(runs, 4, regions) true output of the year by line."""
    ag, ls, ind = state.agriculture, state.livestock, state.industry
    s = structure()
    factor = 1.0 - p.supply_elasticity * p.import_share * (1.0 - s.industry_share) * (
        1.0 - pl.delivery_ratio)
    w = s.industry_share * factor
    total = ind.output_year_sum / max(ind.months_in_year, 1)
    industry = total[:, None] * w / w.sum(-1, keepdims=True)
    return np.stack([ag.harvest_mt, ls.meat_mt, ls.milk_mt, industry], axis=1)


def _type_shares(state: State, p) -> np.ndarray:
    """(runs, 4, regions) share of the line's output from its second type (sovkhoz, group B)."""
    ag = state.agriculture
    vir = ag.virgin_harvest_mt
    sov = (p.sovkhoz_share_old_land * (ag.harvest_mt - vir) + p.sovkhoz_share_virgin * vir)
    grain = sov / np.maximum(ag.harvest_mt, 1e-12)
    live = np.full_like(grain, p.sovkhoz_share_livestock)
    b = np.broadcast_to(1.0 - structure().group_a_share, grain.shape)
    return np.stack([grain, live, live, b], axis=1)


def audit_probability(decisions, p, pl: PlanningState, m: int) -> np.ndarray:
    """(runs, 4, regions) yearly audit probability by line.

    Collusion follows the administration (regional officials gained power with the
    councils, for farms as for factories); farm lines lose the MTS share of checks when
    the stations are abolished (1958).
    """
    mts = 1.0 - p.mts_audit_share * (1.0 - decisions.at("mts_oversight", m)) * FARM
    q = p.audit_rate * decisions.at("audit_intensity", m) * (1.0 - pl.collusion)
    return np.clip(q[:, None, :] * mts[None, :, None], 0.0, 1.0)


def _deterrence(state: State, decisions, p, pl):
    """k by producer (runs, 4, regions, 2P), audit probability and the repression reference."""
    m = state.clock.month
    rep, ref = _repression(state, pl)
    q = audit_probability(decisions, p, pl, m)
    punish = p.punishment * decisions.at("padding_penalty", m) * rep**p.repression_weight
    if np.ndim(punish) == 2:
        punish = punish[:, None, :]
    per = pl.honesty.shape[-1] // 4
    k = _lines(pl.honesty, per)
    k += 1.0
    k *= (q * p.detection * punish)[..., None].astype(k.dtype)
    return k, q, ref


# Where fear of punishment is read from, first found wins: the repression domain's fear
# (remembered repression, 1 = early 1953), its repression index, or a society index.
FEAR_SOURCES = (("repression", "fear"), ("repression", "repression_index"),
                ("society", "repression_index"))


def _repression(state: State, pl: PlanningState):
    """Fear of punishment relative to its first value (1 when no domain provides it)."""
    ri = None
    for domain, attr in FEAR_SOURCES:
        ri = getattr(state.domains.get(domain), attr, None)
        if ri is not None:
            break
    if ri is None:
        return 1.0, pl.repression_ref
    ri = np.asarray(ri, dtype=float)
    ri = np.broadcast_to(ri[:, None] if ri.ndim == 1 else ri, pl.repression_ref.shape)
    ref = np.where(pl.repression_ref > 0, pl.repression_ref, ri)
    return ri / np.maximum(ref, 1e-12), ref


def _pressure(decisions, p, m) -> np.ndarray:
    campaign = 1.0 + p.campaign_pressure * decisions.at("meat_pledge_intensity", m) * LIVESTOCK
    split = 1.0 + p.split_pressure * decisions.at("party_split", m) * FARM
    return (p.plan_pressure * campaign * split)[None, :, None, None]


def _counts(state: State, p, per: int) -> np.ndarray:
    """(regions, 4P) real farms or enterprises each model producer stands for, thousand."""
    s = structure()
    kol = p.kolkhoz_count_1953 * s.rural_share / per
    sov = p.sovkhoz_count_1953 * s.rural_share / per
    ind = p.industrial_enterprises * s.industry_share / per
    cols = [kol, sov, ind * s.group_a_share, ind * (1 - s.group_a_share)]
    return np.repeat(np.stack(cols, -1), per, axis=-1) / 1000.0


def report(state: State, decisions, params, rng) -> State:
    """December: true output, padded reports, audits, national books and events."""
    p, pl, m = params.planning, state.planning, state.clock.month
    per = pl.honesty.shape[-1] // 4
    n, nr, nprod = pl.honesty.shape
    u = split_uniform(rng.uniform(m, "planning.producers", (nr, nprod // 2)), 4)
    u_audit = u[..., :2].reshape(n, nr, nprod)
    u_prod = u[..., 2:].reshape(n, nr, nprod)
    rho = p.productivity_persistence
    shock = (p.productivity_sd * np.sqrt((1 - rho**2) * 12.0) * (u_prod - 0.5)).astype(np.float32)
    theta = np.float32(rho) * pl.productivity + shock
    region_true = _true_by_region(state, pl, p)
    true = producer_output(region_true, _type_shares(state, p), _lines(np.exp(theta), per))
    k, q, ref = _deterrence(state, decisions, p, pl)
    target = corrected_target(pl.target, region_true, p.plan_correction)
    share = padding_share(target, true, _pressure(decisions, p, m), k, p.padding_cap)
    padded = share > 0
    reported = np.multiply(true, share + np.float32(1.0), out=share)
    _add_purchases(reported, true, pl.purchased_mt)
    q_prod = np.repeat(q[:, [GRAIN, IND]].transpose(0, 2, 1), 2 * per, axis=-1).astype(np.float32)
    audited, caught_prod = audit(True, q_prod, np.float32(p.detection), u_audit.astype(np.float32))
    found = padded & _lines(caught_prod, per, dtype=bool)
    excess = reported - true
    excess *= found
    found_amount = row_sum(excess).sum(-1)
    reported -= excess
    caught = _producer_any(found, per)
    audited = audited.astype(float)
    counts = _counts(state, p, per)
    region_reported = row_sum(reported)
    new = dataclasses.replace(
        pl, productivity=theta, target=target, reported=reported, true_output=true,
        honesty=(pl.honesty * p.honesty_decay + p.honesty_memory * caught).astype(np.float32),
        region_reported=region_reported, region_true=region_true,
        reported_total=region_reported.sum(-1), true_total=region_true.sum(-1),
        target_total=row_sum(target).sum(-1),
        audits_k=(audited * counts).sum((1, 2)),
        audits_found_k=(caught * counts).sum((1, 2)), padding_found=found_amount,
        repression_ref=np.asarray(ref, dtype=float) * np.ones_like(pl.repression_ref))
    state = state.with_domain(NAME, new)
    state = _emit_audits(state, found_amount, decisions)
    return _herd_books(state)


def _add_purchases(reported, true, purchased):
    """Meat bought from other regions is reported again as the buyer's delivery."""
    if not purchased.any():
        return
    meat = true[:, MEAT]
    share = meat / np.maximum(row_sum(meat)[..., None], 1e-12).astype(meat.dtype)
    reported[:, MEAT] += purchased[..., None].astype(reported.dtype) * share


def _producer_any(flags: np.ndarray, per: int) -> np.ndarray:
    """(runs, 4, regions, 2P) line flags -> (runs, regions, 4P) producer flags."""
    farm = flags[:, :3].any(1)
    return np.concatenate([farm, flags[:, IND]], axis=-1).astype(float)


def _emit_audits(state, amount, decisions) -> State:
    m = state.clock.month
    batches = []
    for i, line in enumerate(LINES):
        hit = amount[:, i] > 0
        if not hit.any():
            continue
        causes = (f"padded {line} reports found and corrected; audit intensity "
                  f"{decisions.at('audit_intensity', m):g}, padding penalty "
                  f"{decisions.at('padding_penalty', m):g}, MTS oversight "
                  f"{decisions.at('mts_oversight', m):g}, councils {decisions.at('sovnarkhoz_reform', m):g}")
        batches.append(event("audit", hit, amount[:, i], actors=f"state control ({line})", causes=causes))
    return state.emit(*batches)


def _herd_books(state: State) -> State:
    """Track deliveries and herds by region; flag Ryazan-like episodes (herd_collapse)."""
    pl, ls = state.planning, state.livestock
    meat = pl.region_reported[:, MEAT]
    jump = (pl.meat_reported_2 > 0) & (pl.meat_reported_1 >= EPISODE_JUMP * pl.meat_reported_2)
    fall = meat <= (1 - EPISODE_FALL) * pl.meat_reported_1
    herd = ls.cattle <= (1 - EPISODE_HERD_FALL) * pl.cattle_2
    episode = jump & fall & herd
    batches = [_collapse_event(state, hit, meat, r) for hit, r in region_batches(episode)]
    pledge_ratio = np.where(pl.pledge_mt > 0, pl.pledge_mt / np.maximum(pl.meat_reported_1, 1e-12), 0.0)
    new = dataclasses.replace(
        pl, meat_reported_2=pl.meat_reported_1, meat_reported_1=meat, cattle_2=pl.cattle_1,
        cattle_1=ls.cattle.copy(), pledge_ratio_1=pledge_ratio, slaughter_1=pl.slaughter_head)
    return state.with_domain(NAME, new).emit(*batches)


def _collapse_event(state, hit, meat, r):
    pl, ls, year = state.planning, state.livestock, state.clock.year
    i = (np.arange(len(r)), r)
    jump = pl.meat_reported_1[i] / np.maximum(pl.meat_reported_2[i], 1e-12)
    drop = meat[i] / np.maximum(pl.meat_reported_1[i], 1e-12)
    herd = 1.0 - ls.cattle[i] / np.maximum(pl.cattle_2[i], 1e-12)

    def fmt(j, pledge, head, d):
        return (f"meat deliveries x{j:.2f} in {year - 1} (pledge x{pledge:.2f}, {1000 * head:.0f} "
                f"thousand breeding cattle slaughtered); x{d:.2f} in {year}")

    causes = _texts(hit, fmt, jump, pl.pledge_ratio_1[i], pl.slaughter_1[i], drop)
    return event("herd_collapse", hit, herd, actors=state.context.regions.name[r], causes=causes)


