"""How much did each policy matter? Paired runs with and without the era's major policies.

For each policy of ``data/policies.toml`` (Virgin Lands, maize, housing, the regional
councils, destalinisation, the Seven-Year Plan, the 1962 price rise, Cuba) the
historical scenario is run next to a counterfactual without the policy, on the same runs
and seed, so both see the same weather and luck. The effect of the policy in run k is

    effect_k = outcome_k(with the policy) - outcome_k(without it)

and the assessment reports its median over runs, the 5th-95th percentile range across
runs ("90% interval": where the effect fell in 90% of the simulated histories) and the
share of runs in which the policy raised the outcome. The leader's survival is a yes/no
per run; for it the report gives the share of runs in which the sponsor was still First
Secretary at the end with and without the policy, and a 90% bootstrap interval of the
difference of those shares (paired resampling of runs).

Outcomes (also data in ``policies.toml``): grain (mean harvest 1954-64), living
standards (whichever of the real wage, living-standard, consumer-goods and living-space
outputs the model has), bloc stability, and the sponsor's survival (politics domain: still
First Secretary at the end, and months as First Secretary).

The package: ``policies`` (policies and outcomes, counterfactuals, outcomes per run),
``effects`` (the paired assessment, :func:`assess`), ``words`` (sentences) and ``page``
(tables, figures, the HTML section).
"""

from ottepel.analysis.assess.effects import (
    BOOTSTRAP_DRAWS,
    NEGLIGIBLE,
    Assessment,
    Effect,
    assess,
    continuous_effect,
    direction,
    mean_interval,
    noticeable,
    survival_effect,
)
from ottepel.analysis.assess.page import (
    METHOD,
    assessment_section,
    cell,
    effects_figure,
    groups,
    mean_cell,
    wide_table,
    write_assessment,
)
from ottepel.analysis.assess.policies import (
    BASE,
    Metric,
    Policy,
    build_counterfactual,
    counterfactual_for,
    in_office_at_end,
    leader_code,
    load_policies,
    metric_per_run,
    months_in_office,
)
from ottepel.analysis.assess.words import (
    COLUMN_UNITS,
    UNIT_WORDS,
    average_clause,
    effect_sentence,
    headline_sentence,
    num,
    policy_sentences,
    pts,
    verdict,
)

__all__ = [
    "Assessment",
    "BASE",
    "BOOTSTRAP_DRAWS",
    "COLUMN_UNITS",
    "Effect",
    "METHOD",
    "Metric",
    "NEGLIGIBLE",
    "Policy",
    "UNIT_WORDS",
    "assess",
    "assessment_section",
    "average_clause",
    "build_counterfactual",
    "cell",
    "continuous_effect",
    "counterfactual_for",
    "direction",
    "effect_sentence",
    "effects_figure",
    "groups",
    "headline_sentence",
    "in_office_at_end",
    "leader_code",
    "load_policies",
    "mean_cell",
    "mean_interval",
    "metric_per_run",
    "months_in_office",
    "noticeable",
    "num",
    "policy_sentences",
    "pts",
    "survival_effect",
    "verdict",
    "wide_table",
    "write_assessment",
]
