"""Political outputs assembled from a Result: leaders' power, offices and the CC.

The engine records national variables only on (run, month), so the politics mechanism
writes one variable per leader (``power_<key>``, e.g. ``power_khrushchev``) and the
offices as leader ids (``first_secretary``, ``premier`` ...; -1 for an official the model
does not name). These helpers turn them back into labelled objects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from ottepel.core.mechanisms.politics.leaders import MEMBER_TYPES, load_leaders

OFFICE_VARS = ("first_secretary", "premier", "security_chief", "defence_minister",
               "head_of_state", "gosplan_chair")


def leader_table() -> pd.DataFrame:
    """The leaders: id, key, name, born, stances and traits (from ``leaders.csv``)."""
    lt = load_leaders()
    return pd.DataFrame({
        "id": np.arange(lt.n), "key": lt.key, "name": lt.name, "born": lt.born,
        "stance_reform": lt.reform, "stance_consumer": lt.consumer, "ambition": lt.ambition,
        "skill": lt.skill, "stalin_era_legitimacy": lt.legitimacy,
    })


def leader_power(result) -> xr.DataArray:
    """Power of every leader: DataArray (run, month, leader), standing units.

    The ``leader`` coordinate holds the display names; ``leader_key`` the keys.
    """
    lt = load_leaders()
    nat = result.national
    arrays = [nat[f"power_{k}"] for k in lt.key]
    da = xr.concat(arrays, dim=pd.Index(lt.name, name="leader"))
    da = da.transpose("run", "month", "leader")
    da = da.assign_coords(leader_key=("leader", lt.key))
    da.name = "leader_power"
    da.attrs.update(units="standing", description="power of each leader")
    return da


def office_holders(result, office: str = "first_secretary") -> pd.DataFrame:
    """Names of an office's holder: DataFrame (run x month); 'other' for unnamed officials."""
    lt = load_leaders()
    da = result.national[office]
    names = np.append(lt.name, "other")
    ids = np.where(da.values >= 0, da.values, lt.n).astype(int)
    months = pd.to_datetime(da["month"].values)
    return pd.DataFrame(names[ids], index=da["run"].values, columns=months)


def office_shares(result, office: str = "first_secretary") -> pd.DataFrame:
    """Share of runs in which each leader holds an office, by December of each year."""
    holders = office_holders(result, office)
    dec = holders.loc[:, holders.columns.month == 12]
    out = dec.apply(lambda c: c.value_counts(normalize=True)).fillna(0.0)
    out.columns = dec.columns.year
    return out


def cc_composition(result) -> pd.DataFrame:
    """Median CC size and shares by member type, each December."""
    nat = result.national
    cols = ["cc_size"] + [f"cc_share_{t}" for t in MEMBER_TYPES] + [
        "cc_clients_of_first_secretary", "cc_network_of_first_secretary", "cc_unaffiliated"]
    dec = nat.sel(month=nat["month"].dt.month == 12)
    data = {c: dec[c].median("run").values for c in cols}
    return pd.DataFrame(data, index=dec["month"].dt.year.values)
