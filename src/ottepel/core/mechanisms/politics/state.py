"""The politics state and its March 1953 start."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ottepel.core.mechanisms.politics import cc as ccm
from ottepel.core.mechanisms.politics.leaders import FS, MEMBER_TYPES, OFFICES, load_leaders
from ottepel.core.mechanisms.politics.power import leader_power
from ottepel.core.state import Context


@dataclass(frozen=True)
class PoliticsState:
    """The political system (run axis first; L leaders, O offices, S CC slots, T types).

    Attributes:
        status: (runs, L) int, index into ``leaders.STATUS``.
        presidium: (runs, L) bool, full member of the Presidium.
        offices: (runs, O) int, leader id holding each office (-1 an unnamed official).
        leader_patron: (runs, L) int, each leader's patron (-1 none).
        prestige: (runs, L) float, standing units, signed.
        standing, share_ema: (runs, L) float, power (standing units) and the 12-month EMA of
            its share. The property ``power`` is the share (0..1), ``first_secretary`` the
            First Secretary's id and ``leaders`` the names: the fields ``ottepel.interfaces.play``
            reads by duck typing.
        grudge: (runs, L, L) float, grudge[i, j]: j's grudge against i (standing, signed:
            negative is gratitude or a pact).
        policy_grievance: (runs, L) float, each leader's grievance at the FS's policies.
        destalinisation: (runs,) float, 0..1, the official course (lever destalinisation_level
            as this run's leadership applies it); destal_shock: its recent change, decaying.
        violence_norm: (runs,) float, 1 = losers are shot, 0 = pensioned.
        arbiter: (runs,) float, plotters' belief that the CC (not the Presidium) decides.
        harvest_expectation: (runs,) float, million t.
        grievance: (runs, T) float, CC grievance toward the FS by member type.
        plot_target, plot_months, plot_initiator: (runs,) int, the plot being prepared.
        trial_month, death_month: (runs, L) int, month index (-1 none).
        barred_until: (runs, L) int, month until which a demoted leader gets no office.
        repudiated: (runs, L) bool, removed by a CC plenum (his policies are rolled back).
        sovnarkhoz_done: (runs,) bool; ministries_warned: (runs,) float, how far the
            abolition of the ministries has been announced (0..1); defence_prev: (runs,) float, last month's defence share.
        adoption: (runs, sponsors) float, 0..1 (see ``Decisions.at_runs``).
        cc_type, cc_patron, cc_region: (runs, S) int; cc_stance, cc_offset: (runs, S) float.
        cc_size: (runs,) int; clients: (runs, L + 1, T) float, members by patron and type.
        cc_type_counts: (runs, T) float, members of each type (changes at congresses and with
            the 1957 decentralisation).
        mil_clients, sec_clients: (runs, L) float, each leader's share of the military and
            security members (updated when those groups change: congresses).
        congress: index of the congress in force (``cc_composition()`` row).
    """

    status: np.ndarray
    presidium: np.ndarray
    offices: np.ndarray
    leader_patron: np.ndarray
    prestige: np.ndarray = field(metadata={"signed": True})
    standing: np.ndarray = field(default=None)
    share_ema: np.ndarray = field(default=None)
    grudge: np.ndarray = field(default=None, metadata={"signed": True})
    policy_grievance: np.ndarray = field(default=None)
    destalinisation: np.ndarray = field(default=None)
    destal_shock: np.ndarray = field(default=None)
    violence_norm: np.ndarray = field(default=None)
    arbiter: np.ndarray = field(default=None)
    harvest_expectation: np.ndarray = field(default=None)
    grievance: np.ndarray = field(default=None)
    plot_target: np.ndarray = field(default=None)
    plot_months: np.ndarray = field(default=None)
    plot_initiator: np.ndarray = field(default=None)
    trial_month: np.ndarray = field(default=None)
    death_month: np.ndarray = field(default=None)
    barred_until: np.ndarray = field(default=None)
    repudiated: np.ndarray = field(default=None)
    sovnarkhoz_done: np.ndarray = field(default=None)
    ministries_warned: np.ndarray = field(default=None)
    defence_prev: np.ndarray = field(default=None)
    adoption: np.ndarray = field(default=None)
    cc_type: np.ndarray = field(default=None)
    cc_patron: np.ndarray = field(default=None)
    cc_region: np.ndarray = field(default=None)
    cc_stance: np.ndarray = field(default=None, metadata={"signed": True})
    cc_offset: np.ndarray = field(default=None, metadata={"signed": True})
    cc_size: np.ndarray = field(default=None)
    clients: np.ndarray = field(default=None)
    cc_type_counts: np.ndarray = field(default=None)
    mil_clients: np.ndarray = field(default=None)
    sec_clients: np.ndarray = field(default=None)
    congress: int = 0

    @property
    def power(self) -> np.ndarray:
        """(runs, L) each leader's share of the leaders' power (0..1)."""
        return self.standing / np.maximum(self.standing.sum(1, keepdims=True), 1e-9)

    @property
    def first_secretary(self) -> np.ndarray:
        """(runs,) the First Secretary's leader id (-1 an unnamed official)."""
        return self.offices[:, FS]

    @property
    def leaders(self) -> tuple[str, ...]:
        """Leader names in the order of the leader axis."""
        return tuple(str(n) for n in load_leaders().name)

    @property
    def cc(self) -> dict:
        """The CC member arrays as a dict (type, patron, stance, offset, region)."""
        return {"type": self.cc_type, "patron": self.cc_patron, "stance": self.cc_stance,
                "offset": self.cc_offset, "region": self.cc_region}


def init(ctx: Context) -> PoliticsState:
    """March 1953: the offices of 5 March, the 19th-congress CC, no plots."""
    lt = load_leaders()
    p = ctx.params.politics
    n, n_l = ctx.n_runs, lt.n
    slots = ccm.slots_for(ctx.months)
    members = ccm.initial_members(n, ctx.regions, ctx.rng, slots, ctx.months[0])
    counts = ccm.client_counts(members["type"], members["patron"], n_l)
    status = np.zeros((n, n_l), dtype=np.int64)
    presidium = np.broadcast_to(lt.presidium_1953, (n, n_l)).copy()
    offices = np.broadcast_to(lt.offices_1953, (n, len(OFFICES))).copy()
    prestige = np.broadcast_to(lt.prestige, (n, n_l)).copy()
    zero = np.zeros(n)
    coercion = ccm.security_military_counts(counts)
    power, _, _ = leader_power(status, presidium, offices, counts, coercion, prestige, zero,
                                  zero, zero, p)
    share = power / power.sum(1, keepdims=True)
    defence = ctx.decisions.values.get("defence_share")
    return PoliticsState(
        status=status, presidium=presidium, offices=offices,
        leader_patron=np.broadcast_to(lt.patron, (n, n_l)).copy(), prestige=prestige,
        standing=power, share_ema=share, grudge=np.zeros((n, n_l, n_l)),
        policy_grievance=np.zeros((n, n_l)), destalinisation=zero.copy(),
        destal_shock=zero.copy(), violence_norm=np.full(n, p.violence_norm_1953),
        arbiter=np.full(n, p.arbiter_prior), harvest_expectation=np.full(n, p.harvest_expectation_1953),
        grievance=np.zeros((n, len(MEMBER_TYPES))), plot_target=np.full(n, -1),
        plot_months=np.zeros(n, dtype=np.int64), plot_initiator=np.full(n, -1),
        trial_month=np.full((n, n_l), -1), death_month=np.full((n, n_l), -1),
        barred_until=np.full((n, n_l), -1), repudiated=np.zeros((n, n_l), bool),
        sovnarkhoz_done=np.zeros(n, bool), ministries_warned=np.zeros(n),
        defence_prev=np.full(n, float(defence[0]) if defence is not None else 0.12),
        adoption=np.ones((n, len(ctx.decisions.sponsors))),
        cc_type=members["type"], cc_patron=members["patron"], cc_region=members["region"],
        cc_stance=members["stance"], cc_offset=members["offset"],
        cc_size=(members["type"] >= 0).sum(1), clients=counts,
        mil_clients=coercion[0], sec_clients=coercion[1], cc_type_counts=counts.sum(1),
        congress=ccm.congress_index(ctx.months[0]),
    )
