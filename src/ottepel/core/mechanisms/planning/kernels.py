"""Planning kernels: pure array functions (ratchet, padding choice, audits, deliveries, draws)."""

from __future__ import annotations

import numpy as np


def ratchet(reported, target, growth, lambda_over, lambda_under):
    """Next year's target from this year's report (Weitzman 1980).

    T' = (1 + g) R + lambda (R - T), lambda = lambda_over if R >= T else lambda_under.
    Where there was no plan (T = 0) the target is (1 + g) R. Targets are never negative.
    """
    dt = reported.dtype
    grow = np.asarray(1 + growth, dtype=dt)
    if np.ndim(lambda_over) == 0 and lambda_over == lambda_under:
        lam = np.asarray(lambda_over, dtype=dt)
    else:
        lam = np.where(reported >= target, lambda_over, lambda_under).astype(dt)
    new = (grow + lam) * reported - lam * target
    new = np.where(target > 0, new, grow * reported)
    return np.maximum(new, 0, out=new)


def corrected_target(target, region_true, correction):
    """Targets after the in-year correction of a region-wide shortfall.

    T_c = T (1 - kappa max(0, 1 - X_r / T_r)): the centre excuses a share kappa of the
    shortfall every producer of the region shares (a drought is plain to see).

    Args:
        target: (runs, 4, regions, 2P) targets.
        region_true: (runs, 4, regions) true output by region.
        correction: kappa in [0, 1].
    """
    region_target = row_sum(target)
    short = np.where(region_target > 0, 1.0 - region_true / np.maximum(region_target, 1e-12), 0.0)
    factor = 1.0 - correction * np.clip(short, 0.0, 1.0)
    return target * factor[..., None].astype(target.dtype)


def padding_share(target, true_output, pressure, deterrence, cap):
    """Padding as a share of true output chosen by a producer.

    Minimises c/2 (g' - s)^2 + k/2 s^2 with g' = T/X - 1 the padding that would meet
    the plan: s = min(c / (c + k) g', cap); zero when the plan is met or absent (T = 0).

    Args:
        target, true_output: arrays of the same shape (line units).
        pressure: c, penalty weight of missing the plan (broadcastable).
        deterrence: k = audit probability x detection x punishment (broadcastable).
        cap: the largest share a paper figure can add to true output.
    """
    need = target / np.maximum(true_output, 1e-12)
    need -= 1.0
    np.maximum(need, 0.0, out=need)
    pressure = np.asarray(pressure, dtype=need.dtype)
    deterrence = np.asarray(deterrence, dtype=need.dtype)
    need *= pressure / (pressure + deterrence)
    return np.minimum(need, need.dtype.type(cap), out=need)


def audit(padded, audit_prob, detection, u):
    """Which producers are audited and which are caught padding.

    Args:
        padded: bool array, the producer's report exceeds its true output.
        audit_prob: probability of an audit this year (broadcastable).
        detection: probability an audit finds padding that is there.
        u: uniform(0, 1) draws, one per producer.

    Returns:
        (audited, found) bool arrays: audited = u < q; found = padded & u < q d, so that
        given an audit padding is found with probability d.
    """
    audited = u < audit_prob
    return audited, padded & (u < audit_prob * detection)


def deliveries(industry_share, partner_share, localism, friction, councils):
    """Inter-regional deliveries received over needed, by region and nationally.

    Args:
        industry_share: (regions,) q_r.
        partner_share: (regions,) share of the rest of industry inside the region's council
            (0 when each region is its own council).
        localism: (runs, regions) share of deliveries to other councils withheld.
        friction: shortfall common to all deliveries.
        councils: True under the regional councils, False under the ministries.

    Returns:
        (ratio (runs, regions), national (runs,)) with needs weighted by q_r (1 - q_r).
    """
    if councils:
        ratio = 1.0 - friction - localism * (1.0 - partner_share)
    else:
        ratio = np.full(localism.shape, 1.0 - friction)
    ratio = np.clip(ratio, 0.0, 1.0)
    need = industry_share * (1.0 - industry_share)
    return ratio, (ratio * need).sum(-1) / need.sum()


def split_uniform(u: np.ndarray, parts: int) -> np.ndarray:
    """Several uniforms from the bits of one keyed 53-bit uniform.

    Each part takes 53 // parts bits (13 for four parts: steps of 1/8192, fine for audit
    draws and productivity shocks) and the draw count, the costly part of a keyed stream,
    falls by ``parts``.

    Returns:
        (*u.shape, parts) float64 on the open interval (0, 1).
    """
    scale = 2.0 ** (53 // parts)
    out = np.empty((*np.shape(u), parts))
    x = np.array(u, dtype=np.float64)
    for i in range(parts):  # exact in float64: powers of two, floors and differences
        x *= scale
        whole = np.floor(x)
        out[..., i] = (whole + 0.5) / scale
        x -= whole
    return out


def _lines(x: np.ndarray, per: int, dtype=np.float32) -> np.ndarray:
    """(runs, regions, 4P) producer traits -> (runs, 4, regions, 2P) by line."""
    n, nr = x.shape[:2]
    out = np.empty((n, 4, nr, 2 * per), dtype=dtype)
    out[:, :3] = x[:, None, :, : 2 * per]
    out[:, 3] = x[:, :, 2 * per:]
    return out


def producer_output(region_true, second_share, weight):
    """Split each region's true output among its producers (region totals exact).

    Args:
        region_true: (runs, 4, regions) true output by line.
        second_share: (runs, 4, regions) share of the second type (sovkhoz, group B).
        weight: (runs, 4, regions, 2P) exp(log productivity) by line; overwritten.

    Returns:
        (runs, 4, regions, 2P) true output of each producer (the ``weight`` array).
    """
    per = weight.shape[-1] // 2
    by_type = weight.reshape(*weight.shape[:-1], 2, per)
    mass = row_sum(by_type)  # (runs, 4, regions, 2)
    share = np.stack([1.0 - second_share, second_share], axis=-1)
    factor = region_true[..., None] * share / np.maximum(mass, 1e-30)
    by_type *= factor[..., None].astype(weight.dtype)
    return weight


def row_sum(x: np.ndarray) -> np.ndarray:
    """Sum over the last (short) axis in float64, slice by slice.

    numpy reduces a short contiguous last axis an order of magnitude slower than it adds
    whole slices; with 2P <= 32 producers the loop is cheap.
    """
    out = x[..., 0].copy()
    for i in range(1, x.shape[-1]):
        out += x[..., i]
    return out.astype(np.float64, copy=False)


def _texts(mask: np.ndarray, fmt, *columns) -> np.ndarray:
    """(runs,) object array of cause strings, formatted only where ``mask`` is set."""
    out = np.full(mask.shape, "", dtype=object)
    for i in np.flatnonzero(mask):
        out[i] = fmt(*(c[i] for c in columns))
    return out


def region_batches(mask: np.ndarray):
    """Split a (runs, regions) event mask into batches with at most one region per run.

    Yields (runs_mask (runs,), region (runs,) int): batch k holds each run's k-th region,
    so a year with many regional events costs as many batches as the busiest run has.
    """
    rank = np.cumsum(mask, axis=1) * mask
    for k in range(1, int(rank.max(initial=0)) + 1):
        sel = rank == k
        yield sel.any(1), np.argmax(sel, axis=1)

