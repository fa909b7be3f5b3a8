"""The benchmark core as an idiomatic Mesa 3 model: one Python object per producer.

Same agents, equations and parameters as :mod:`ottepel.core.bench_core` (see its docstring):
105 regions x producers per region, each producing monthly and, every December,
reporting (padding when short of the plan), being audited, and getting a new target (the
ratchet) and inputs allocated on its report. One ``PlanEconomy`` model is one run; an
ensemble is a loop over models, which is how Mesa ensembles are run (``mesa.batch_run``
does the same loop, in processes).

Draws: by default each agent draws from ``self.random`` (the model's Python Mersenne
Twister, as Mesa models do). For the equivalence test, ``draws`` may carry the keyed
draws ottepel uses, (months, producers) arrays for one run, so both models see the
same shocks and their outputs can be compared number for number.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from ottepel.core.bench_core import PRODUCERS_PER_REGION, BenchParams, setting


class Producer(mesa.Agent):
    """A farm or enterprise (standing for many real ones) with its plan and its books."""

    def __init__(self, model: PlanEconomy, index: int, capacity: float, collusion: float,
                 months_done: int):
        super().__init__(model)
        self.index = index
        self.collusion = collusion
        self.capacity = capacity
        self.target = capacity
        self.ytd = capacity * months_done / 12
        self.produced = 0.0
        self.reported = 0.0
        self.caught = False

    def step(self) -> None:
        """One month of output."""
        p, draws = self.model.p, self.model.draws
        v = self.random.random() if draws is None else float(draws[0][self.model.month, self.index])
        self.ytd = self.ytd + self.capacity / 12 * ((1 - p.noise) + 2 * p.noise * v)

    def report(self) -> None:
        """December: pad the report if short of the plan; an audit may find the padding."""
        p = self.model.p
        gap = max(self.target - self.ytd, 0.0)
        detect = p.audit_prob * (1 - self.collusion)
        share = 1 / (1 + math.exp(p.steepness * (detect * p.punishment - p.bonus)))
        pad = share * min(gap, p.pad_cap * self.target)
        draws = self.model.draws
        u = self.random.random() if draws is None else float(draws[1][self.model.month, self.index])
        self.caught = pad > 0 and u < detect
        self.reported = self.ytd if self.caught else self.ytd + pad

    def replan(self, budget: float, total_weight: float) -> None:
        """The ratchet on the report, inputs by report, a new year."""
        p = self.model.p
        weight = 0.0 if self.caught else self.reported
        invest = budget * weight / total_weight
        self.target = (1 + p.plan_growth) * (self.target + p.ratchet * (self.reported - self.target))
        self.capacity = (1 - p.depreciation) * self.capacity + invest
        self.produced = self.ytd
        self.ytd = 0.0


class PlanEconomy(mesa.Model):
    """One run: the centre and its producers, stepped monthly from March 1953."""

    def __init__(self, producers_per_region: int = PRODUCERS_PER_REGION,
                 p: BenchParams | None = None, seed: int | None = None,
                 draws: tuple[np.ndarray, np.ndarray] | None = None,
                 first_month_of_year: int = 3):
        super().__init__(seed=seed)
        self.p = p or BenchParams()
        self.month = 0
        self.first_month_of_year = first_month_of_year
        self.draws = draws
        capacity, collusion = setting(producers_per_region)
        for i, (k, c) in enumerate(zip(capacity.tolist(), collusion.tolist(), strict=True)):
            Producer(self, i, k, c, first_month_of_year - 1)
        self.datacollector = mesa.DataCollector(model_reporters={
            "true": lambda m: sum(a.produced for a in m.agents),
            "reported": lambda m: sum(a.reported for a in m.agents),
            "caught": lambda m: float(sum(a.caught for a in m.agents)),
        })

    def step(self) -> None:
        """A month; in December the annual plan and a row of national figures."""
        self.agents.do("step")
        if (self.month + self.first_month_of_year - 1) % 12 == 11:
            self.agents.do("report")
            budget = self.p.invest_rate * sum(a.ytd for a in self.agents)
            total_weight = sum(0.0 if a.caught else a.reported for a in self.agents)
            self.agents.do("replan", budget, total_weight)
            self.datacollector.collect(self)
        self.month += 1


def run(n_runs: int, months: int = 142, producers_per_region: int = PRODUCERS_PER_REGION,
        seed: int = 0) -> dict[str, np.ndarray]:
    """An ensemble as Mesa runs one: a model per run, in a loop.

    Returns:
        ``true``, ``reported``, ``caught``: (runs, years) national totals each December.
    """
    rows = []
    for r in range(n_runs):
        model = PlanEconomy(producers_per_region, seed=seed * 1_000_003 + r)
        for _ in range(months):
            model.step()
        rows.append(model.datacollector.get_model_vars_dataframe())
    return {k: np.stack([df[k].to_numpy() for df in rows]) for k in ("true", "reported", "caught")}
