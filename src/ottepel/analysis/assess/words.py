"""The assessment in words: numbers, effect sentences, headline and verdict per policy."""

from __future__ import annotations

import numpy as np

from ottepel.analysis.assess.effects import NEGLIGIBLE, Assessment, Effect, direction, noticeable
from ottepel.analysis.assess.policies import Metric, Policy
from ottepel.analysis.compare import HIGH_Q, LOW_Q, Comparison

# ---- words ------------------------------------------------------------------------------

UNIT_WORDS = {"million t": "mn t", "m2 total area per person": "m2 per person",
              "1953 = 100": "points", "1953-03 = 100": "points", "0..1": "points on a 0-1 scale"}
COLUMN_UNITS = {**UNIT_WORDS, "0..1": "0-1"}


def num(x: float) -> str:
    """A number for a sentence: 2 significant decimals when small, one otherwise."""
    if not np.isfinite(x):
        return "n/a"
    ax = abs(x)
    if ax < 5e-4:
        return "0"
    return f"{x:,.3f}" if ax < 0.1 else f"{x:,.2f}" if ax < 10 else f"{x:,.1f}"


def pts(share: float) -> str:
    """A difference of shares in signed percentage points ("+4", "-2", "+0")."""
    v = int(round(100 * share))
    return f"{v:+d}"


def _span(m: Metric) -> str:
    return f"in {m.end}" if m.stat == "end" or m.start == m.end else f"on average over {m.start}-{m.end}"


def effect_sentence(pol: Policy, m: Metric, e: Effect) -> str:
    """One plain-language sentence on what the era would have looked like without a policy."""
    if m.kind == "survival":
        return (f"With {pol.title}, {pol.sponsor} was still First Secretary at the end in "
                f"{e.with_value:.0%} of the simulated histories; without it, in "
                f"{e.without_value:.0%} ({pts(e.median)} points, 90% interval {pts(e.q05)} "
                f"to {pts(e.q95)}).")
    unit = UNIT_WORDS.get(e.unit, e.unit)
    what = f"the {m.label} {_span(m)}"
    if m.kind == "tenure":
        what = f"{pol.sponsor}'s time as First Secretary ({m.start}-{m.end})"
    if direction(e):
        word = "lower" if e.median > 0 else "higher"
        lo, hi = sorted((abs(e.q05), abs(e.q95)))
        return (f"Without {pol.title}, {what} would have been {num(abs(e.median))} {unit} {word} "
                f"(90% interval {num(lo)} to {num(hi)}; {word} in "
                f"{(e.share_positive if e.median > 0 else 1 - e.share_positive):.0%} of runs).")
    if e.q05 > 0 or e.q95 < 0:
        return (f"Without {pol.title}, {what} would have been practically the same: the "
                f"difference, {num(-e.median)} {unit} (90% interval {num(-e.q95)} to "
                f"{num(-e.q05)}), is below 0.1% of its level.")
    text = (f"Without {pol.title}, {what} would not have been clearly different: the median "
            f"difference is {num(-e.median)} {unit} and the 90% interval runs from "
            f"{num(-e.q95)} to {num(-e.q05)}.")
    return text + average_clause(e, unit)


def average_clause(e: Effect, unit: str) -> str:
    """" On average over runs ..." when the mean effect is clearly away from zero."""
    if not np.isfinite(e.mean) or not (e.mean_q05 > 0 or e.mean_q95 < 0):
        return ""
    word = "lower" if e.mean > 0 else "higher"
    lo, hi = sorted((abs(e.mean_q05), abs(e.mean_q95)))
    return (f" On average over the runs, though, it would have been {num(abs(e.mean))} {unit} "
            f"{word} (90% interval of the average {num(lo)} to {num(hi)}).")


def headline_sentence(pol: Policy, cmp: Comparison, var: str = "grain_harvest_mt") -> str | None:
    """The policy's effect on the harvest of its headline year, in words."""
    d = cmp.diff(var)
    if pol.headline_year not in d.columns:
        return None
    x = d[pol.headline_year].dropna()
    med, lo, hi = x.median(), x.quantile(LOW_Q), x.quantile(HIGH_Q)
    level = abs(cmp.b.annual(var)[pol.headline_year].median())
    if (lo > 0 or hi < 0) and abs(med) > NEGLIGIBLE * level:
        word = "lower" if med > 0 else "higher"
        a, b = sorted((abs(lo), abs(hi)))
        return (f"Without {pol.title}, the {pol.headline_year} harvest would have been "
                f"{num(abs(med))} mn t {word} (90% interval {num(a)} to {num(b)}).")
    if max(abs(lo), abs(hi)) <= NEGLIGIBLE * level:
        return None
    return (f"Without {pol.title}, the {pol.headline_year} harvest would not have been clearly "
            f"different (median difference {num(-med)} mn t, 90% interval {num(-hi)} to "
            f"{num(-lo)}).")


def verdict(pol: Policy, a: Assessment) -> str:
    """A one-line summary: which outcomes the policy clearly raised or lowered."""
    up, down = [], []
    for m in a.metrics:
        e = a.effect(pol.id, m.id)
        if e is None:
            continue
        if direction(e) > 0:
            up.append(m.label)
        elif direction(e) < 0:
            down.append(m.label)
    parts = []
    if up:
        parts.append("raised " + ", ".join(up))
    if down:
        parts.append("lowered " + ", ".join(down))
    body = "; ".join(parts) if parts else "made no clear difference to any outcome measured"
    return f"In the model, {pol.title} {body}."


def policy_sentences(pol: Policy, a: Assessment) -> list[str]:
    """All sentences on one policy: verdict, headline harvest, then each outcome."""
    out = [verdict(pol, a)]
    cmp = a.comparisons.get(pol.id)
    if cmp is not None and "grain_harvest_mt" in cmp.a.national:
        h = headline_sentence(pol, cmp)
        if h:
            out.append(h)
    none = []
    for m in a.metrics:
        e = a.effect(pol.id, m.id)
        if e is None:
            continue
        if noticeable(e):
            out.append(effect_sentence(pol, m, e))
        else:
            none.append(m.label)
    if none:
        out.append(f"No noticeable effect (below 0.1% of the level in at least 90% of the runs) "
                   f"on: {', '.join(none)}.")
    return out
