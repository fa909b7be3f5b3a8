"""The politics outputs (``NATIONAL``, recorded monthly)."""

from __future__ import annotations

import numpy as np

from ottepel.core.mechanisms.politics.leaders import (
    ACTIVE,
    DEFENCE,
    FS,
    MEMBER_TYPES,
    PREMIER,
    SECURITY,
    load_leaders,
)
from ottepel.core.mechanisms.politics.policies import _network
from ottepel.core.state import State

LEADER_VARS: tuple = tuple(f"power_{k}" for k in load_leaders().key)


NATIONAL = {
    "first_secretary": ("leader id", "monthly", "First Secretary (leaders.csv id; -1 an official the model does not name)"),
    "premier": ("leader id", "monthly", "Chairman of the Council of Ministers (leader id)"),
    "security_chief": ("leader id", "monthly", "head of the MVD/KGB (leader id)"),
    "defence_minister": ("leader id", "monthly", "Minister of Defence (leader id)"),
    "head_of_state": ("leader id", "monthly", "Chairman of the Presidium of the Supreme Soviet (leader id)"),
    "gosplan_chair": ("leader id", "monthly", "Chairman of Gosplan (leader id)"),
    "presidium_size": ("members", "monthly", "full members of the Presidium among the named leaders"),
    "fs_power_share": ("fraction", "monthly", "the First Secretary's share of the leaders' power"),
    "fs_prestige": ("standing", "monthly", "the First Secretary's prestige"),
    "cc_size": ("members", "monthly", "full members of the Central Committee"),
    **{f"cc_share_{t}": ("fraction", "monthly", f"share of CC members who are {t.replace('_', ' ')}s")
       for t in MEMBER_TYPES},
    "cc_clients_of_first_secretary": ("fraction", "monthly", "CC members whose patron is the First Secretary"),
    "cc_network_of_first_secretary": ("fraction", "monthly", "CC members whose patron is the First Secretary or one of his clients"),
    "cc_clients_of_premier": ("fraction", "monthly", "CC members whose patron is the Premier"),
    "cc_unaffiliated": ("fraction", "monthly", "CC members without an active patron"),
    "cc_grievance": ("grievance units", "monthly", "mean CC grievance toward the First Secretary"),
    "destalinisation": ("0..1", "monthly", "cumulative destalinisation"),
    "violence_norm": ("0..1", "monthly", "fate norm for losers: 1 shot, 0 pensioned"),
    "cc_arbiter_belief": ("probability", "monthly", "plotters' belief that the CC decides a challenge to the First Secretary"),
    **{v: ("standing", "monthly", f"power of {n}") for v, n in zip(LEADER_VARS, load_leaders().name, strict=True)},
}


def national(state: State) -> dict[str, np.ndarray]:
    """Offices, power and CC composition (monthly)."""
    ps = state.politics
    n_l = load_leaders().n
    rows = np.arange(state.n_runs)
    off = ps.offices.astype(float)
    counts = ps.clients
    per = counts.sum(2)
    by_type = ps.cc_type_counts
    total = np.maximum(by_type.sum(1), 1.0)
    fs, pm = ps.offices[:, FS], ps.offices[:, PREMIER]
    active = np.concatenate([ps.status == ACTIVE, np.zeros((state.n_runs, 1), bool)], 1)
    net = _network(ps.offices, ps.leader_patron, ps.status)
    share = ps.power
    out = {
        "first_secretary": off[:, FS], "premier": off[:, PREMIER], "security_chief": off[:, SECURITY],
        "defence_minister": off[:, DEFENCE], "head_of_state": off[:, 4], "gosplan_chair": off[:, 5],
        "presidium_size": (ps.presidium & (ps.status == ACTIVE)).sum(1).astype(float),
        "fs_power_share": np.where(fs >= 0, share[rows, np.maximum(fs, 0)], np.nan),
        "fs_prestige": np.where(fs >= 0, ps.prestige[rows, np.maximum(fs, 0)], np.nan),
        "cc_size": total,
        "cc_clients_of_first_secretary": np.where(fs >= 0, per[rows, np.where(fs >= 0, fs, n_l)], 0.0) / total,
        "cc_network_of_first_secretary": (per * net).sum(1) / total,
        "cc_clients_of_premier": np.where(pm >= 0, per[rows, np.where(pm >= 0, pm, n_l)], 0.0) / total,
        "cc_unaffiliated": (per * ~active).sum(1) / total,
        "cc_grievance": (ps.grievance * by_type).sum(1) / total,
        "destalinisation": ps.destalinisation, "violence_norm": ps.violence_norm,
        "cc_arbiter_belief": ps.arbiter,
    }
    shares = by_type / total[:, None]
    for t, name in enumerate(MEMBER_TYPES):
        out[f"cc_share_{name}"] = shares[:, t]
    for i, v in enumerate(LEADER_VARS):
        out[v] = ps.standing[:, i]
    return out
