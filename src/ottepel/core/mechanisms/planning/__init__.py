"""Planning and perverse incentives: targets, padded reports, audits, councils, pledges.

Producers are agents: in every region ``producers_per_region`` (P) model producers of
each type (kolkhoz, sovkhoz, group A and group B enterprises), each standing for many
real ones (``weight``: the real farms or enterprises it represents). Four *lines* of
books are kept, each over the 2P producers of its two types:

    grain, meat, milk: kolkhoz and sovkhoz producers;   industry: group A and B producers.

Book arrays are (runs, lines, regions, 2P); per-producer traits are (runs, regions, 4P).

True output (December). The region's true quantity (``agriculture.harvest_mt`` bunker
weight, ``livestock.meat_mt`` and ``milk_mt``, national industry split by region) is
shared among its producers by type share x idiosyncratic productivity exp(theta), where
theta follows an AR(1) across years. Region totals are exact: planning never changes
what was produced, only what is said about it.

The annual plan (January), Weitzman (1980) ratchet on what was *reported*:

    T' = (1 + g) R + lambda (R - T),   lambda = lambda_over if R >= T else lambda_under

g is the plan growth of the line (levers; the Seven-Year Plan raises it). Weitzman's
partial adjustment T' = (1+g)[l R + (1-l) T] is the case lambda = -(1+g)(1-l).

Reporting (December; Berliner 1957, Harrison on Soviet statistics). A producer short of
its target by g' = T/X - 1 (the padding that would meet the plan) pads its report by a
share s of true output, trading the penalty of missing the plan against the expected
punishment of being caught:

    min_s  c/2 (g' - s)^2 + k/2 s^2   ->   s = min(c / (c + k) * g', padding_cap)
    k = audit probability q x detection d x punishment P (1 + honesty)
    q = audit_rate x audit_intensity x (1 - collusion) [x (1 - MTS share) for farms after 1958]
    P = punishment x padding_penalty x (fear / fear at the start)^w   (fear: repression domain)

c is the plan pressure (raised by campaigns and, for farms, by the 1962 party split);
collusion with the region's officials is low under branch ministries and high under
the regional councils (sovnarkhozy, 1957-65), and moves toward its level over years.
Targets are first corrected for a share of any region-wide shortfall (a plain drought).
The cap stands for the physical flows (receipts at elevators and meat plants) that a paper
figure cannot stray far from.

Audits (December): a producer is audited with probability q; padding is found with
probability d, the report corrected to the truth, and the producer's ``honesty`` rises
(punishment remembered, decaying each year). The published figures are after audits.

Inputs: the centre allocates inputs (machinery, fertiliser, investment) by reported
output: ``input_allocation`` (runs, regions) = 1 - a + a rho_r / mean(rho), rho_r the
region's grain reported/true ratio, mean weighted by true output (so the weighted mean
is 1); ``agriculture`` scales its capital input by it: padding misdirects resources.

Administration and localism: under branch ministries deliveries between regions meet
(1 - friction) of needs; under the councils a supplier serves its own council first and
withholds a share ``localism`` of deliveries to other councils (consolidation into larger
councils in 1963 turns some inter-regional flows into internal ones). A region imports a
share m_r = import_share (1 - q_r) of its industrial inputs (q_r its share of industry);
its industrial output is scaled by 1 - e m_r (1 - delivery ratio), relative to the
ministries' baseline, and ``industry`` reads the national factor.

Campaigns: with ``meat_pledge_intensity`` > 0, each January regional leaders pledge meat
deliveries of last year's report x (1 + intensity x ambition) (ambition: a persistent,
heavy-tailed trait of the region's leadership). In November, a region short of its
pledge covers a share of the shortfall by slaughtering breeding cattle (the livestock
domain's herd is reduced and the meat added to the year's true output) and by buying
cattle and meat from other regions and the population (counted again in its deliveries:
double counting). The herd, and next year's deliveries, then fall: the Ryazan episode
of 1959-60 (Gorlizki 2013, Kritika 14:2).

Modules (read in this order):

- ``params``: line indices, months, levers and :class:`Params`;
- ``books``: :class:`PlanningState` (the books) and :func:`structure` (fixed regional facts);
- ``kernels``: pure array functions (ratchet, corrected targets, padding choice, audits,
  deliveries, split uniforms, producer output);
- ``year``: ``init`` and the monthly ``step`` (administration, January plan and pledges,
  November chase of pledges);
- ``report``: the December report (true output, padding, audits, herd books, events);
- ``outputs``: ``NATIONAL``/``national`` and ``REGIONAL``/``regional``.
"""

from __future__ import annotations

from ottepel.core.mechanisms.planning.books import PlanningState, Structure, structure
from ottepel.core.mechanisms.planning.kernels import (
    audit,
    corrected_target,
    deliveries,
    padding_share,
    producer_output,
    ratchet,
    region_batches,
    row_sum,
    split_uniform,
)
from ottepel.core.mechanisms.planning.outputs import NATIONAL, REGIONAL, national, regional
from ottepel.core.mechanisms.planning.params import (
    EPISODE_FALL,
    EPISODE_HERD_FALL,
    EPISODE_JUMP,
    LEVERS,
    LINES,
    NAME,
    Params,
)
from ottepel.core.mechanisms.planning.report import (
    _deterrence,
    _repression,
    audit_probability,
    report,
)
from ottepel.core.mechanisms.planning.year import (
    administer,
    chase_pledges,
    init,
    plan,
    step,
)

__all__ = [
    "EPISODE_FALL", "EPISODE_HERD_FALL", "EPISODE_JUMP", "LEVERS", "LINES", "NAME", "NATIONAL",
    "REGIONAL", "Params", "PlanningState", "Structure", "_deterrence", "_repression", "administer",
    "audit", "audit_probability", "chase_pledges", "corrected_target", "deliveries", "init",
    "national", "padding_share", "plan", "producer_output", "ratchet", "region_batches",
    "regional", "report", "row_sum", "split_uniform", "step", "structure",
]
