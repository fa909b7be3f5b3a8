"""Calibration targets: the history points, their error models and the :class:`Scorer`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ottepel.core.scenario import Scenario

DEFAULT_HOLDOUT_FROM = 1961
Z_CAP = 5.0  # a point's standardised error counts at most this much (robust distance)


@dataclass(frozen=True)
class ErrorModel:
    """How far a record may sit from the model for its kind of source.

    The relative error of a point is ``e = log((model + c) / (record + c))`` (``c``: 5% of
    the series' mean record, so zeros do not explode); errors up to ``bias`` cost
    nothing (definitions, coverage and padding differ between the model's figure and the
    source's), beyond it they count in units of ``sd``:
    ``z = min(max(|e| - bias, 0) / sd, Z_CAP)``.

    Attributes:
        sd: relative (log) error standard deviation.
        bias: bias allowance (relative).
    """

    sd: float
    bias: float

    def z(self, e: np.ndarray) -> np.ndarray:
        """Standardised errors of log errors ``e`` (capped at ``Z_CAP``)."""
        return np.minimum(np.maximum(np.abs(e) - self.bias, 0.0) / self.sd, Z_CAP)


# Official Soviet figures: printed series with known definitional biases (bunker weight,
# padding, revisions) -> an allowance plus a modest sd; western re-estimates: no
# allowance but a wider sd; single-source figures of other kinds: widest.
ERROR_MODELS: dict[str, ErrorModel] = {
    "official": ErrorModel(sd=0.07, bias=0.05),
    "western": ErrorModel(sd=0.10, bias=0.0),
    "other": ErrorModel(sd=0.15, bias=0.0),
}


def _to_model_units(values: pd.Series, series_unit: str, model_unit: str) -> pd.Series:
    if series_unit.strip().lower().startswith(("percent", "%")) and model_unit in (
            "fraction", "1", "share"):
        return values / 100.0
    return values


def history_targets(scenario: Scenario, holdout_from: int | None = DEFAULT_HOLDOUT_FROM,
                    holdout_series: tuple[str, ...] = (),
                    variables: list[str] | None = None) -> pd.DataFrame:
    """The record points the model is compared with, one row per series and year.

    Args:
        scenario: the scenario (its span decides which years the model has).
        holdout_from: first held-out year (None: no year held out).
        holdout_series: model variables (or series names) held out entirely.
        variables: restrict to these model variables (default: all in HISTORY_MAP the
            model produces).

    Returns:
        DataFrame: variable, series, kind, year (of the record), model_year, value (in
        model units), held_out.
    """
    from ottepel.core.catalog import national_catalog
    from ottepel.data import load_series
    from ottepel.ensemble.batch import december_index
    from ottepel.ensemble.results import HISTORY_MAP

    cat = national_catalog()
    years = set(december_index(scenario))
    df = load_series()
    rows = []
    for var, spec in HISTORY_MAP.items():
        if var not in cat or (variables is not None and var not in variables):
            continue
        series, kind = spec[0], spec[1]
        shift = spec[2] if len(spec) > 2 else 0
        d = df[(df["series"] == series) & df["value"].notna()]
        if kind:
            d = d[d["kind"] == kind]
        d = d.drop_duplicates("year").sort_values("year")
        vals = _to_model_units(d["value"], str(d["unit"].iloc[0]) if len(d) else "", cat[var][0])
        for (year, k), v in zip(d[["year", "kind"]].itertuples(index=False), vals, strict=True):
            my = int(year) + shift
            if my not in years:
                continue
            held = (holdout_from is not None and my >= holdout_from) or var in holdout_series \
                or series in holdout_series
            rows.append({"variable": var, "series": series, "kind": k, "year": int(year),
                         "model_year": my, "value": float(v), "held_out": bool(held)})
    return pd.DataFrame(rows, columns=["variable", "series", "kind", "year", "model_year",
                                       "value", "held_out"])


@dataclass
class Scorer:
    """Distances between model outputs at the target points and the record.

    Attributes:
        targets: the :func:`history_targets` table (P rows).
        error_models: kind -> :class:`ErrorModel`.
    """

    targets: pd.DataFrame
    error_models: dict[str, ErrorModel] = field(default_factory=lambda: dict(ERROR_MODELS))

    def __post_init__(self) -> None:
        t = self.targets
        other = self.error_models.get("other", ERROR_MODELS["other"])
        models = [self.error_models.get(k, other) for k in t["kind"]]
        self.record = t["value"].to_numpy(float)
        self.sd = np.array([m.sd for m in models])
        self.bias = np.array([m.bias for m in models])
        scale = t.groupby("variable")["value"].transform(lambda s: s.abs().mean())
        self.offset = 0.05 * scale.to_numpy(float)
        self.series_code, self.series_names = pd.factorize(t["variable"])
        self.held_out = t["held_out"].to_numpy(bool)

    def mask(self, which: str) -> np.ndarray:
        """Points of ``calibration``, ``holdout`` or ``all``."""
        if which == "calibration":
            return ~self.held_out
        if which == "holdout":
            return self.held_out.copy()
        if which == "all":
            return np.ones_like(self.held_out)
        raise ValueError(f"which must be calibration, holdout or all, got {which!r}")

    def z(self, model: np.ndarray) -> np.ndarray:
        """(n, P) standardised errors, capped at ``Z_CAP`` (also for points the model
        could not produce), so one series whose definition differs from the model's
        cannot swamp the rest."""
        model = np.atleast_2d(model)
        with np.errstate(invalid="ignore", divide="ignore"):
            e = np.log((model + self.offset) / (self.record + self.offset))
        z = np.maximum(np.abs(e) - self.bias, 0.0) / self.sd
        return np.where(np.isfinite(z), np.minimum(z, Z_CAP), Z_CAP)

    def series_errors(self, model: np.ndarray, which: str = "calibration") -> np.ndarray:
        """(n, S) mean squared standardised error of each series (NaN if no points)."""
        z2 = self.z(model) ** 2
        m = self.mask(which)
        out = np.full((z2.shape[0], len(self.series_names)), np.nan)
        for s in range(len(self.series_names)):
            sel = m & (self.series_code == s)
            if sel.any():
                out[:, s] = z2[:, sel].mean(axis=1)
        return out

    def distance(self, model: np.ndarray, which: str = "calibration") -> np.ndarray:
        """(n,) distance: root mean square of the points' standardised errors.

        Every record counts once (independent errors, as in a Gaussian likelihood), so a
        series weighs by its number of years; ``series_errors`` gives the breakdown.
        """
        m = self.mask(which)
        z = self.z(model)
        if not m.any():
            return np.zeros(z.shape[0])
        return np.sqrt(np.mean(z[:, m] ** 2, axis=1))

    def coverage(self, model: np.ndarray, which: str = "calibration") -> float:
        """Share of records inside the ensemble's 5-95% band (model: (runs, P))."""
        m = self.mask(which)
        if not m.any():
            return float("nan")
        q05, q95 = np.nanquantile(model[:, m], [0.05, 0.95], axis=0)
        r = self.record[m]
        return float(np.mean((r >= q05) & (r <= q95)))
