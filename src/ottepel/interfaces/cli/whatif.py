"""Commands ``ottepel compare`` and ``ottepel assess``: what if, and how much.

Registered by ``ottepel.interfaces.cli.app``. Both commands are thin shells
over :mod:`ottepel.analysis.compare` and :mod:`ottepel.analysis.assess`; bad scenario names, variables or
policies give a clear message and exit code 2.
"""

from __future__ import annotations

import math
from pathlib import Path

import typer
from rich.table import Table


def _num(x: float) -> str:
    if x is None or not math.isfinite(x):
        return ""
    return "0" if x == 0 else f"{x:.3g}" if abs(x) < 1 else f"{x:,.1f}"


def _check_vars(variables: str | None, default: list[str]) -> list[str]:
    from ottepel.core.catalog import national_catalog
    from ottepel.interfaces.cli.common import fail

    cat = national_catalog()
    if variables is None:
        return [v for v in default if v in cat]
    chosen = [v.strip() for v in variables.split(",") if v.strip()]
    unknown = [v for v in chosen if v not in cat]
    if unknown or not chosen:
        fail(f"--vars: unknown variables {unknown}; allowed: {', '.join(sorted(cat))}")
    return chosen


def compare_table(cmp, var: str) -> Table:
    """A Rich table by year of one variable's paired difference."""
    unit = cmp.a.national[var].attrs.get("units", "")
    t = Table(title=f"{var} [{unit}]: {cmp.b.scenario} minus {cmp.a.scenario}, paired runs",
              title_justify="left")
    for col in ("year", cmp.a.scenario, cmp.b.scenario, "difference", "90% interval", "B > A"):
        t.add_column(col, justify="right")
    for year, r in cmp.summary(var).iterrows():
        share = r["share_b_higher"]
        t.add_row(str(year), _num(r["a_median"]), _num(r["b_median"]), _num(r["diff_median"]),
                  f"{_num(r['diff_q05'])} to {_num(r['diff_q95'])}",
                  "" if not math.isfinite(share) else f"{share:.0%}")
    return t


def compare(
    a: str = typer.Argument(..., help="reference scenario (packaged name or TOML path)"),
    b: str = typer.Argument(..., help="alternative scenario (packaged name or TOML path)"),
    runs: int = typer.Option(200, "--runs", "-n", min=1, max=1_000_000, help="paired runs"),
    seed: int = typer.Option(0, "--seed", min=0, max=2**63 - 1, help="shared ensemble seed"),
    variables: str | None = typer.Option(None, "--vars", help="comma-separated output variables"),
    out: Path = typer.Option(Path("compare.html"), "--out", "-o", help="HTML report path"),
    no_report: bool = typer.Option(False, "--no-report", help="skip the HTML report"),
    chunk_size: int = typer.Option(1000, "--chunk-size", min=1, max=1_000_000),
) -> None:
    """Compare two scenarios on paired runs (same seeds: same weather and luck)."""
    from ottepel.analysis.compare import DEFAULT_VARS, Comparison, sentence, write_compare_report
    from ottepel.ensemble.simulate import simulate
    from ottepel.interfaces.cli.common import console, fail, load_or_fail, progress_bar

    sa, sb = load_or_fail(a), load_or_fail(b)
    chosen = _check_vars(variables, DEFAULT_VARS)
    console.print(f"paired runs: [bold]{sa.name}[/] and [bold]{sb.name}[/], {runs} runs each, "
                  f"seed {seed}")
    with progress_bar(2 * runs, "simulating") as bar:
        task = bar.add_task("runs", total=2 * runs)
        ra = simulate(sa, runs=runs, seed=seed, chunk_size=chunk_size,
                      progress=lambda k: bar.advance(task, k))
        rb = simulate(sb, runs=runs, seed=seed, chunk_size=chunk_size,
                      progress=lambda k: bar.advance(task, k))
    cmp = Comparison(ra, rb, runs, seed)
    if not chosen:
        fail("none of the default variables exist; give --vars")
    for var in chosen:
        console.print(compare_table(cmp, var))
        console.print(sentence(cmp, var), highlight=False)
    if not no_report:
        path = write_compare_report(cmp, out, chosen)
        console.print(f"report: {path}")


def assess(
    runs: int = typer.Option(200, "--runs", "-n", min=1, max=100_000, help="paired runs per policy"),
    seed: int = typer.Option(0, "--seed", min=0, max=2**63 - 1, help="shared ensemble seed"),
    policy: str | None = typer.Option(None, "--policy", "-p",
                                      help="comma-separated policy ids (default: all)"),
    base: str = typer.Option("khrushchev-1953", "--base",
                             help="scenario with all policies (name or TOML path)"),
    out: Path = typer.Option(Path("assess.html"), "--out", "-o", help="HTML report path"),
    no_report: bool = typer.Option(False, "--no-report", help="skip the HTML report"),
    list_only: bool = typer.Option(False, "--list", help="list the policies and outcomes, then stop"),
) -> None:
    """How much did each policy matter? Paired runs with and without each major policy."""
    from ottepel.analysis.assess import assess as run_assess
    from ottepel.analysis.assess import (
        groups,
        load_policies,
        policy_sentences,
        wide_table,
        write_assessment,
    )
    from ottepel.interfaces.cli.common import console, fail, load_or_fail, progress_bar

    policies, metrics = load_policies()
    if list_only:
        _print_policies(console, policies, metrics)
        return
    load_or_fail(base)
    ids = [p.strip() for p in policy.split(",") if p.strip()] if policy else None
    known = {p.id for p in policies}
    if ids and any(i not in known for i in ids):
        fail(f"--policy: unknown {[i for i in ids if i not in known]}; allowed: {', '.join(known)}")
    n = len(ids or policies) + 1
    with progress_bar(n * runs, "simulating") as bar:
        task = bar.add_task("runs", total=n * runs)
        a = run_assess(runs, seed, base, ids, progress=lambda k: bar.advance(task, k))
        bar.update(task, completed=n * runs)
    for key, note in a.notes.items():
        console.print(f"[dim]{key}: {note}[/]", highlight=False)
    console.print(f"[bold]Effect of each policy[/] (with minus without): median [90% interval] "
                  f"over {runs} paired runs, seed {seed}")
    for group in groups(a):
        df = wide_table(a, group)
        table = Table(title=f"{group}", title_justify="left")
        for col in df.columns:
            table.add_column(col, justify="left" if col == "policy" else "right")
        for row in df.itertuples(index=False):
            table.add_row(*[str(x) for x in row])
        console.print(table)
    for pol in a.policies:
        console.print(f"[bold]{pol.short}[/]")
        for s in policy_sentences(pol, a):
            console.print(f"  - {s}", highlight=False)
    if not no_report:
        console.print(f"report: {write_assessment(a, out)}")


def _print_policies(console, policies, metrics) -> None:
    from ottepel.core.scenario import packaged_scenarios

    have = set(packaged_scenarios())
    t = Table("policy", "title", "counterfactual", "decisions removed")
    for p in policies:
        cf = p.counterfactual + ("" if p.counterfactual in have else " (built on the fly)")
        t.add_row(p.id, p.title, cf, ", ".join(p.remove))
    console.print(t)
    m = Table("outcome", "variable", "statistic")
    for x in metrics:
        stat = {"survival": f"share of runs, end of {x.end}",
                "tenure": f"months in office {x.start}-{x.end}"}.get(x.kind, f"{x.stat} {x.start}-{x.end}")
        m.add_row(x.label, x.var, stat)
    console.print(m)


def register(app: typer.Typer) -> None:
    """Add the ``compare`` and ``assess`` commands to the CLI."""
    app.command("compare")(compare)
    app.command("assess")(assess)
