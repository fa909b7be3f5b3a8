"""The political facts as arrays: leaders, their ties, the CC's composition and patronage.

Loaded once from the packaged data (``leaders.csv``, ``leader_ties.csv``,
``cc_composition.csv``, ``cc_patronage.csv``, ``political_record.csv``), every row with
its source. The politics mechanism (``politics.py``) and its helpers (``cc.py``,
``struggle.py``) read these tables; nothing here changes during a run.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from ottepel.data import DataError, _read_csv

OFFICES = ("first_secretary", "premier", "security", "defence", "head_of_state", "gosplan")
FS, PREMIER, SECURITY, DEFENCE, HEAD_OF_STATE, GOSPLAN = range(len(OFFICES))

MEMBER_TYPES = ("regional_secretary", "minister", "military", "security", "other")
REG, MIN, MIL, SEC, OTH = range(len(MEMBER_TYPES))

BASES = ("party", "state", "army", "security", "ideology")

STATUS = ("active", "demoted", "arrested", "executed", "retired", "dead")
ACTIVE, DEMOTED, ARRESTED, EXECUTED, RETIRED, DEAD = range(len(STATUS))

NONE = -1  # an office held by an official the model does not name

# Which power bases qualify a leader for an office (0 = not eligible). Rows follow OFFICES.
ELIGIBILITY = np.array([
    # party state army security ideology
    [1.0, 0.2, 0.0, 0.0, 0.5],   # first secretary: a party man (Malenkov had been senior secretary)
    [0.0, 1.0, 0.1, 0.0, 0.0],   # premier: a state manager; the First Secretary himself only by
                                 # accumulation (moves.fill_vacancies: Khrushchev, 1958)
    [0.3, 0.0, 0.0, 1.0, 0.0],   # security chief
    [0.0, 0.2, 1.0, 0.0, 0.0],   # defence minister: a marshal or a political marshal
    [0.6, 0.6, 0.6, 0.0, 0.6],   # head of state: any senior figure
    [0.0, 1.0, 0.0, 0.0, 0.0],   # Gosplan: an economic manager
])


@dataclass(frozen=True)
class LeaderTable:
    """The leaders as arrays on the leader axis (file order = leader id).

    Attributes:
        key: (L,) str, e.g. ``"khrushchev"``; name: (L,) display name (surname).
        born: (L,) int, year of birth.
        offices_1953: (O,) int, holder of each office in March 1953 (``NONE`` if unnamed).
        presidium_1953: (L,) bool, full member of the Presidium in March 1953.
        patron: (L,) int, the leader's own patron (-1 none).
        base: (L, 5) float, power bases (party, state, army, security, ideology), 0/1.
        reform, consumer: (L,) float, stances (-1 hardline / heavy industry .. +1 reform / consumer).
        ambition, skill, legitimacy, prestige: (L,) float, traits in [0, 1].
        ties: (L, L) float, symmetric pre-1953 affinity (-1..1).
        eligibility: (O, L) float, fitness for each office from the power bases.
    """

    key: np.ndarray
    name: np.ndarray
    born: np.ndarray
    offices_1953: np.ndarray
    presidium_1953: np.ndarray
    patron: np.ndarray
    base: np.ndarray
    reform: np.ndarray
    consumer: np.ndarray
    ambition: np.ndarray
    skill: np.ndarray
    legitimacy: np.ndarray
    prestige: np.ndarray
    ties: np.ndarray
    eligibility: np.ndarray

    @property
    def n(self) -> int:
        """Number of leaders."""
        return len(self.key)

    def index(self, key: str) -> int:
        """Leader id of a key (``"khrushchev"``) or a display name (``"Khrushchev"``)."""
        k = key.strip().lower()
        hits = np.flatnonzero((self.key == k) | (np.char.lower(self.name) == k))
        if not len(hits):
            raise KeyError(key)
        return int(hits[0])

    def ids_of(self, names: list[str]) -> dict[str, int]:
        """Map names to leader ids, skipping names that are not leaders (``collective``)."""
        out = {}
        for s in names:
            try:
                out[s] = self.index(s)
            except KeyError:
                continue
        return out


@lru_cache(maxsize=1)
def load_leaders() -> LeaderTable:
    """Read ``leaders.csv`` and ``leader_ties.csv`` into a :class:`LeaderTable`."""
    df = _read_csv("leaders.csv")
    if list(df["id"]) != list(range(len(df))):
        raise DataError("leaders.csv: ids must be 0..n-1 in file order")
    keys = df["key"].to_numpy(str)
    idx = {k: i for i, k in enumerate(keys)}
    offices = np.full(len(OFFICES), NONE, dtype=np.int64)
    for i, cell in enumerate(df["offices_1953"].fillna("")):
        for off in filter(None, str(cell).split(";")):
            offices[OFFICES.index(off.strip())] = i
    base = np.zeros((len(df), len(BASES)))
    for i, cell in enumerate(df["power_base"]):
        for b in str(cell).split(";"):
            base[i, BASES.index(b.strip())] = 1.0
    patron = np.array([idx.get(p, -1) if isinstance(p, str) else -1 for p in df["patron"]])
    ties = np.zeros((len(df), len(df)))
    for row in _read_csv("leader_ties.csv").itertuples():
        a, b = idx[row.a], idx[row.b]
        ties[a, b] = ties[b, a] = float(row.affinity)
    elig = (ELIGIBILITY[:, None, :] * base[None, :, :]).max(-1)
    return LeaderTable(
        key=keys, name=np.array([n.split()[-1] for n in df["name"]]),
        born=df["born"].to_numpy(int), offices_1953=offices,
        presidium_1953=df["presidium_1953"].to_numpy(bool), patron=patron, base=base,
        reform=df["stance_reform"].to_numpy(float), consumer=df["stance_consumer"].to_numpy(float),
        ambition=df["ambition"].to_numpy(float), skill=df["skill"].to_numpy(float),
        legitimacy=df["stalin_era_legitimacy"].to_numpy(float),
        prestige=df["prestige_1953"].to_numpy(float), ties=ties, eligibility=elig,
    )


@lru_cache(maxsize=1)
def cc_composition() -> pd.DataFrame:
    """Full CC members by type at each congress: DataFrame (congress, date, type counts)."""
    df = _read_csv("cc_composition.csv")
    bad = set(df["member_type"]) - set(MEMBER_TYPES)
    if bad:
        raise DataError(f"cc_composition.csv: unknown member types {sorted(bad)}")
    wide = df.pivot(index=["congress", "date"], columns="member_type", values="count")
    wide = wide[list(MEMBER_TYPES)].fillna(0).astype(int).reset_index()
    wide["month"] = [int(np.datetime64(d, "M").astype(int)) for d in wide["date"]]
    wide["size"] = wide[list(MEMBER_TYPES)].sum(axis=1)
    return wide.sort_values("month").reset_index(drop=True)


@lru_cache(maxsize=1)
def patronage_weights(regions_key: tuple[str, ...], republics_key: tuple[str, ...]) -> np.ndarray:
    """Patron probabilities of a new 1952 CC member by type and region.

    Args:
        regions_key: region codes (file order); republics_key: their republics.

    Returns:
        (types, regions + 1, L + 1) float: row ``regions`` is for members without a region;
        the last column is "no patron". Rows sum to 1.
    """
    lt = load_leaders()
    df = _read_csv("cc_patronage.csv")
    n_reg = len(regions_key)
    out = np.zeros((len(MEMBER_TYPES), n_reg + 1, lt.n + 1))
    codes, reps = np.array(regions_key), np.array(republics_key)
    for t, tname in enumerate(MEMBER_TYPES):
        sub = df[df["member_type"] == tname]
        claimed = np.zeros(n_reg + 1, dtype=bool)
        for scope, rows in sub.groupby("scope", sort=False):
            if scope == "all":
                continue
            mask = np.append((codes == scope) | (reps == scope), False)
            _fill(out[t], mask, rows, lt)
            claimed |= mask
        _fill(out[t], ~claimed, sub[sub["scope"] == "all"], lt)
    out /= np.maximum(out.sum(-1, keepdims=True), 1e-12)
    return out


def _fill(block: np.ndarray, mask: np.ndarray, rows: pd.DataFrame, lt: LeaderTable) -> None:
    for r in rows.itertuples():
        col = lt.n if r.patron == "none" else lt.index(r.patron)
        block[mask, col] += float(r.weight)


@lru_cache(maxsize=1)
def political_record() -> pd.DataFrame:
    """The dated political record used when politics is pinned to history."""
    df = _read_csv("political_record.csv")
    df["month"] = [int(np.datetime64(d, "M").astype(int)) for d in df["date"]]
    return df
