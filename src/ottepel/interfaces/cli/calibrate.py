"""CLI commands ``calibrate``, ``sensitivity`` and ``validate`` (registered on the app).

Thin shells: the work is in :mod:`ottepel.analysis.calibration`, :mod:`ottepel.analysis.sensitivity` and
:mod:`ottepel.analysis.validation.runner`.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import typer
from rich.table import Table

from ottepel.interfaces.cli.common import console, fail, load_or_fail


def _split(text: str | None) -> list[str]:
    return [x.strip() for x in (text or "").split(",") if x.strip()]


@contextmanager
def _client(cluster: str | None):
    if cluster is None:
        yield None
        return
    from ottepel.ensemble.cluster import client_for, close_client

    try:
        client = client_for(cluster)
    except (ValueError, OSError) as exc:
        fail(f"--cluster: {exc}")
    try:
        yield client
    finally:
        close_client(client, cluster)


def _df_table(df: pd.DataFrame, title: str, fmt: str = "{:.3g}") -> Table:
    table = Table(title=title, title_justify="left")
    for c in df.columns:
        table.add_column(str(c), justify="right" if pd.api.types.is_numeric_dtype(df[c]) else "left")
    for row in df.itertuples(index=False):
        table.add_row(*[fmt.format(x) if isinstance(x, float) else str(x) for x in row])
    return table


def calibrate_cmd(
    scenario: str = typer.Option("khrushchev-1953", "--scenario", "-s",
                                 help="packaged scenario name or path to a TOML file"),
    params: str | None = typer.Option(None, "--params",
                                      help="comma-separated parameters to calibrate "
                                           "(default: screen all, keep the top --n-params)"),
    n_params: int = typer.Option(12, "--n-params", min=1, max=60),
    population: int = typer.Option(500, "--population", min=10, max=100_000,
                                   help="ABC population size"),
    generations: int = typer.Option(20, "--generations", min=1, max=100),
    max_minutes: float = typer.Option(10.0, "--max-minutes", min=0.1,
                                      help="wall-time budget of the ABC loop"),
    holdout_from: int = typer.Option(1961, "--holdout-from",
                                     help="first held-out year (0: hold out no year)"),
    holdout_series: str | None = typer.Option(None, "--holdout-series",
                                              help="comma-separated variables held out"),
    seed: int = typer.Option(0, "--seed", min=0, max=2**31 - 1),
    score_runs: int = typer.Option(400, "--score-runs", min=20, max=100_000),
    screen_trajectories: int = typer.Option(10, "--screen-trajectories", min=2, max=100),
    out: Path | None = typer.Option(None, "--out", help="posterior file (default: the "
                                    "packaged data/posterior.toml the default scenario uses)"),
    no_write: bool = typer.Option(False, "--no-write", help="do not write the posterior"),
    cluster: str | None = typer.Option(None, "--cluster", help="'local' or tcp://host:port"),
    sampler: str = typer.Option("batch", "--sampler",
                                help="batch (vectorised), dask (pyabc's Dask sampler, needs "
                                     "--cluster) or single (pyabc single core, slow)"),
) -> None:
    """Calibrate the most influential parameters by ABC-SMC; write the posterior."""
    from ottepel.analysis.calibration import Settings, calibrate, write_posterior
    from ottepel.analysis.priors import priors_for
    from ottepel.core.scenario import ScenarioError, load_scenario

    if sampler not in ("batch", "dask", "single"):
        fail(f"--sampler must be batch, dask or single, got {sampler!r}")
    if sampler == "dask" and cluster is None:
        fail("--sampler dask needs --cluster")
    try:
        priors_for(_split(params))
    except KeyError as exc:
        fail(f"--params: {exc.args[0]}")
    try:
        sc = load_scenario(scenario, posterior=False)
    except ScenarioError as exc:
        fail(str(exc))
    st = Settings(scenario=scenario, params=_split(params), n_params=n_params,
                  screen_trajectories=screen_trajectories, population=population,
                  generations=generations, max_minutes=max_minutes,
                  holdout_from=holdout_from or None, holdout_series=_split(holdout_series),
                  seed=seed, score_runs=score_runs, sampler=sampler)
    console.print(f"calibrating [bold]{sc.name}[/]: population {population}, up to "
                  f"{generations} generations or {max_minutes:g} min, seed {seed}")
    with _client(cluster) as client:
        try:
            res = calibrate(st, sc, client, log=lambda s: console.print(s, highlight=False))
        except (KeyError, ValueError, RuntimeError) as exc:
            fail(str(exc.args[0]) if exc.args else str(exc), 1)
    _print_calibration(res)
    if not no_write:
        path = write_posterior(res, out)
        console.print(f"posterior written to [bold]{path}[/]")


def _print_calibration(res) -> None:
    if res.screening is not None:
        top = res.screening.sort_values("mu_star", ascending=False).head(15)
        console.print(_df_table(top[["parameter", "mu_star", "sigma"]],
                                "Morris screening of the calibration distance (top 15)"))
    console.print(_df_table(res.generations, "ABC-SMC generations"))
    console.print(_df_table(res.posterior_summary().drop(columns=["unit"]),
                            "posterior (weighted 5%, median, 95%) against the prior range"))
    console.print(_df_table(res.scores, "scores: mean distance over runs (lower is better), "
                            "coverage = share of records in the 90% band"))
    s = res.scores.set_index(["set", "ensemble"])["distance"]
    for which in ("calibration", "holdout"):
        if (which, "prior") in s:
            better = s[(which, "posterior")] < s[(which, "prior")]
            console.print(f"{which}: posterior {s[(which, 'posterior')]:.3f} vs prior "
                          f"{s[(which, 'prior')]:.3f}, defaults {s[(which, 'defaults')]:.3f}, "
                          f"posterior point {s[(which, 'posterior_point')]:.3f} -> "
                          f"{'[green]improved[/]' if better else '[red]not improved[/]'}")
    console.print(f"wall time {res.wall_time_s / 60:.1f} min "
                  f"({int(res.generations['samples'].sum())} ABC simulations)")


def sensitivity_cmd(
    scenario: str = typer.Option("khrushchev-1953", "--scenario", "-s"),
    priors: bool = typer.Option(False, "--priors", help="base values: declared defaults, "
                                "not the calibrated posterior"),
    params: str | None = typer.Option(None, "--params", help="comma-separated parameters "
                                      "for Sobol (default: the Morris top --top)"),
    trajectories: int = typer.Option(10, "--trajectories", min=2, max=200,
                                     help="Morris trajectories over all parameters"),
    top: int = typer.Option(12, "--top", min=2, max=40, help="parameters kept for Sobol"),
    sobol_n: int = typer.Option(512, "--sobol-n", min=8, max=65536,
                                help="Saltelli base samples (cost n (k + 2))"),
    replicates: int = typer.Option(2, "--replicates", min=1, max=50,
                                   help="runs per design point (common random numbers)"),
    no_sobol: bool = typer.Option(False, "--no-sobol", help="Morris screening only"),
    seed: int = typer.Option(0, "--seed", min=0, max=2**31 - 1),
    out: Path | None = typer.Option(None, "--out", help="directory for CSV tables"),
    cluster: str | None = typer.Option(None, "--cluster", help="'local' or tcp://host:port"),
) -> None:
    """Morris screening of all parameters, then Sobol indices of the key outputs."""
    from ottepel.analysis.priors import all_priors, priors_for
    from ottepel.analysis.sensitivity import (
        Outputs,
        evaluate_design,
        key_outputs,
        morris,
        sobol,
        top_parameters,
    )

    sc = load_or_fail(scenario, priors=priors)
    chosen = _split(params)
    try:
        priors_for(chosen)
    except KeyError as exc:
        fail(f"--params: {exc.args[0]}")
    outputs = key_outputs(sc, note=lambda s: console.print(f"[yellow]{s}[/]"))
    if not outputs:
        fail("the model produces none of the key outputs", 1)
    names = [o.name for o in outputs]
    reducer = Outputs(tuple(outputs))
    t0 = time.time()
    with _client(cluster) as client:
        def run(pri):
            return lambda unit: evaluate_design(sc, pri, unit, reducer, replicates, seed, client)

        morris_df = None
        if not chosen:
            pri_all = list(all_priors(batchable_only=True).values())
            console.print(f"Morris: {len(pri_all)} parameters, {trajectories} trajectories, "
                          f"{trajectories * (len(pri_all) + 1) * replicates} runs")
            morris_df = morris(run(pri_all), [p.path for p in pri_all], names, trajectories,
                               seed=seed)
            _print_morris(morris_df, names)
            chosen = top_parameters(morris_df, top)
        sobol_df = None
        if not no_sobol:
            pri = priors_for(chosen)
            console.print(f"Sobol: {len(pri)} parameters, {sobol_n * (len(pri) + 2) * replicates}"
                          " runs")
            sobol_df = sobol(run(pri), chosen, names, sobol_n, seed=seed)
            _print_sobol(sobol_df, outputs)
    console.print(f"done in {time.time() - t0:.0f} s")
    _save(out, morris_df, sobol_df)


def _print_morris(df: pd.DataFrame, names: list[str]) -> None:
    for name in names:
        sub = df[df["output"] == name].sort_values("mu_star", ascending=False).head(8)
        console.print(_df_table(sub[["parameter", "mu_star", "mu_star_conf", "sigma"]],
                                f"Morris screening: {name} (top 8 of {int((df['output'] == name).sum())})"))


def _print_sobol(df: pd.DataFrame, outputs) -> None:
    from ottepel.analysis.sensitivity import drivers

    for o in outputs:
        sub = df[df["output"] == o.name].sort_values("ST", ascending=False)
        console.print(_df_table(sub[["parameter", "S1", "S1_conf", "ST", "ST_conf"]],
                                f"Sobol indices: {o.description}"))
    for o in outputs:
        d = drivers(df, o.name)
        console.print(f"[bold]{o.description}[/] is driven by: "
                      f"{', '.join(d) if d else '(no parameter with total index >= 0.05)'}",
                      highlight=False)


def _save(out: Path | None, morris_df, sobol_df) -> None:
    if out is None:
        return
    out.mkdir(parents=True, exist_ok=True)
    if morris_df is not None:
        morris_df.to_csv(out / "morris.csv", index=False)
    if sobol_df is not None:
        sobol_df.to_csv(out / "sobol.csv", index=False)
    console.print(f"tables written to {out}")


def validate_cmd(
    scenario: str = typer.Option("khrushchev-1953", "--scenario", "-s"),
    runs: int = typer.Option(500, "--runs", "-n", min=10, max=1_000_000),
    seed: int = typer.Option(0, "--seed", min=0, max=2**63 - 1),
    priors: bool = typer.Option(False, "--priors", help="declared defaults, not the posterior"),
    html: Path = typer.Option(Path("ottepel-results/validation.html"), "--html",
                              help="HTML page with the tables and charts"),
    no_html: bool = typer.Option(False, "--no-html"),
    detail: bool = typer.Option(False, "--detail", help="also print every point"),
    strict: bool = typer.Option(False, "--strict", help="exit 1 if any check fails"),
) -> None:
    """Pattern-oriented validation: series and event patterns, pass/fail with tolerances."""
    from ottepel.analysis.validation.runner import validate, write_html
    from ottepel.ensemble.simulate import simulate

    sc = load_or_fail(scenario, priors=priors)
    console.print(f"validating [bold]{sc.name}[/] ({runs} runs, seed {seed}; parameters: "
                  f"{sc.posterior or 'declared defaults'})")
    result = simulate(sc, runs=runs, seed=seed)
    v = validate(result, sc)
    console.print(v.holdout_note, highlight=False)
    console.print(_series_table(v.summary))
    console.print(_patterns_table(v.patterns))
    if detail:
        console.print(_df_table(v.points.drop(columns=["series", "tolerance"]), "every point"))
    for k, (a, b) in v.totals().items():
        console.print(f"{k}: [bold]{a} of {b}[/] pass")
    if not no_html:
        from ottepel.analysis.validation.history import holdout_settings

        path = write_html(v, result, html, holdout_settings(sc)[0])
        console.print(f"HTML: {path}")
    failed = (~v.points["passed"]).any() or (~v.patterns["passed"]).any()
    if strict and failed:
        raise typer.Exit(1)


def _verdict(text: str) -> str:
    return {"pass": "[green]pass[/]", "fail": "[red]fail[/]"}.get(text, text)


def _series_table(summary: pd.DataFrame) -> Table:
    table = Table(title="history series: model distribution against the record",
                  title_justify="left")
    table.add_column("variable", no_wrap=True)
    for c in ("kind", "calibration years", "held-out years", "median |error|",
              "tolerance per point"):
        table.add_column(c)
    for r in summary.itertuples():
        cal = (f"{r.calibration_passed}/{r.calibration_points} {_verdict(r.calibration_verdict)}"
               if r.calibration_points else "-")
        hold = (f"{r.holdout_passed}/{r.holdout_points} {_verdict(r.holdout_verdict)}"
                if r.holdout_points else "-")
        table.add_row(r.variable, r.kind, cal, hold, f"{r.median_abs_error:.1%}", r.tolerance)
    table.caption = "a series passes on a set of years when at least 2/3 of its points pass"
    return table


def _patterns_table(patterns: pd.DataFrame) -> Table:
    table = Table(title="patterns", title_justify="left")
    for c in ("pattern", "years", "model (5-95%)", "record", "result", "tolerance"):
        table.add_column(c)
    for r in patterns.to_dict("records"):
        band = "" if pd.isna(r.get("lo")) else f" ({r['lo']:.3g}-{r['hi']:.3g})"
        val = "" if pd.isna(r.get("value")) else f"{r['value']:.3g}{band}"
        held = " [dim](held out)[/]" if r.get("held_out") else ""
        table.add_row(str(r["pattern"]), str(r.get("years") or ""), val,
                      "" if pd.isna(r.get("target")) else f"{r['target']:.3g}",
                      ("[green]pass[/]" if r["passed"] else "[red]fail[/]") + held,
                      str(r.get("tolerance", "")))
    return table


def register(app: typer.Typer) -> None:
    """Add ``calibrate``, ``sensitivity`` and ``validate`` to the app."""
    app.command("calibrate")(calibrate_cmd)
    app.command("sensitivity")(sensitivity_cmd)
    app.command("validate")(validate_cmd)

