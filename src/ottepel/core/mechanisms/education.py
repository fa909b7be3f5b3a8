"""Education: higher-education enrolment and the 1958 school reform.

Students of higher education (VUZ) are two stocks, day students ``D`` and evening and
correspondence students ``X`` (thousand). Admissions follow the economy's demand for
specialists, taken as industrial output ``Y`` (group A + B) against 1953; the 1958
reform (law of 24 December 1958, "on strengthening the link of the school with life":
eight-year compulsory school, polytechnical and production training, and preference at
admission for applicants with two years of work, the *stazh*; lever ``school_reform``)
moves admissions toward study while working and toward those with work experience
(DeWitt 1961, Education and Professional Employment in the USSR; Matthews 1982,
Education in the Soviet Union). Institutions adapt over ``adapt_months``::

    A   = admissions_1953 * (Y / Y_1953) ** demand_elasticity                 (thousand/yr)
    s*  = part_share_1953 + reform_part_shift * r;  s' = s + (s* - s) / adapt_months
    x*  = stazh_share_1953 + reform_stazh_shift * r; x' = x + (x* - x) / adapt_months
    D'  = D + ((1 - s) * A - D / day_years) / 12;   X' = X + (s * A - X / part_years) / 12

Educated urban families resented the barrier the reform put between their children and
the university (Taubman 2003, ch. 13): ``grievance_contribution = parent_salience * r``
(log points), added to the urban grievance by society's hook the next month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, State

NAME = "education"

LEVERS = {
    "school_reform": Lever("level", 0.0, 0.0, 1.0, "1", description="the 1958 school reform in force (1 = the law of Dec 1958)"),
}

_NK = "TsSU, Narodnoe khozyaistvo SSSR v 1965 g. (1966), higher education tables (recalled; society_extra_record.csv)"
_DW = "DeWitt 1961, Education and Professional Employment in the USSR (NSF)"


class Params(ParamGroup):
    """Higher education and the 1958 reform."""

    day_1953: float = param(1000.0, 800.0, 1200.0, "thousand students", _NK + ": about 1.25 mn students in 1950/51, 1.87 in 1955/56, two thirds by day")
    part_1953: float = param(560.0, 400.0, 700.0, "thousand students", _NK + ": evening and correspondence students, about a third in the early 1950s")
    admissions_1953: float = param(430.0, 330.0, 530.0, "thousand/yr", _NK + ": VUZ admissions about 350 thousand in 1950 and 460 in 1955")
    demand_elasticity: float = param(0.9, 0.3, 1.5, "1", "assumption: admission plans followed the economy's demand for specialists (" + _DW + ")")
    day_years: float = param(5.0, 4.0, 6.0, "years", _DW + ": five-year day courses")
    part_years: float = param(6.0, 5.0, 8.0, "years", _DW + ": evening and correspondence courses a year longer, with high drop-out")
    part_share_1953: float = param(0.4, 0.25, 0.55, "fraction of admissions", _DW + ": about two fifths of admissions to evening and correspondence study in the mid-1950s")
    reform_part_shift: float = param(0.2, 0.0, 0.4, "fraction of admissions", "Matthews 1982, Education in the Soviet Union: after 1958 most of the growth was in study while working; assumption for the size")
    stazh_share_1953: float = param(0.3, 0.1, 0.5, "fraction of admissions", _DW + ": entrants with work experience before the reform; assumption")
    reform_stazh_shift: float = param(0.3, 0.0, 0.5, "fraction of admissions", _DW + ": the law asked for most entrants to have two years of work (about 60% by the early 1960s)")
    adapt_months: float = param(24.0, 6.0, 60.0, "months", "assumption: admission rules and courses changed over a couple of years")
    parent_salience: float = param(0.005, 0.0, 0.03, "log points", "Taubman 2003, Khrushchev, ch. 13: educated families resented the reform; assumption for the size")


@dataclass(frozen=True)
class EducationState:
    """Students and admissions.

    Attributes:
        day, part: (runs,) students by day and by evening or correspondence, thousand.
        part_share: (runs,) share of admissions to study while working.
        stazh_share: (runs,) share of admissions with two years of work.
        admissions: (runs,) admissions, thousand a year (this month's rate).
        output_1953: (runs,) industrial output at the start (group A + B).
        grievance_contribution: (runs,) log points added to the urban grievance.
    """

    day: np.ndarray
    part: np.ndarray
    part_share: np.ndarray
    stazh_share: np.ndarray
    admissions: np.ndarray
    output_1953: np.ndarray
    grievance_contribution: np.ndarray


def init(ctx: Context) -> EducationState:
    """The students of 1953 and the pre-reform admission rules."""
    from ottepel.core.mechanisms import industry

    p, n = ctx.params.education, ctx.n_runs
    ind = industry.init(ctx)

    def full(x):
        return np.broadcast_to(np.asarray(x, float), (n,)).copy()

    return EducationState(full(p.day_1953), full(p.part_1953), full(p.part_share_1953), full(p.stazh_share_1953),
                          full(p.admissions_1953), ind.output_a + ind.output_b, np.zeros(n))


def step(state: State, decisions, params, rng) -> State:
    """One month of admissions and graduations."""
    p, e, m = params.education, state.education, state.clock.month
    r = np.asarray(decisions.at_runs("school_reform", m, state), float)
    y = (state.industry.output_a + state.industry.output_b) / e.output_1953
    adm = p.admissions_1953 * np.maximum(y, 1e-6) ** p.demand_elasticity
    share = e.part_share + (p.part_share_1953 + p.reform_part_shift * r - e.part_share) / p.adapt_months
    stazh = e.stazh_share + (p.stazh_share_1953 + p.reform_stazh_shift * r - e.stazh_share) / p.adapt_months
    day = e.day + ((1 - share) * adm - e.day / p.day_years) / 12.0
    part = e.part + (share * adm - e.part / p.part_years) / 12.0
    new = EducationState(day, part, share, stazh, adm, e.output_1953, p.parent_salience * r)
    return state.with_domain(NAME, new)


NATIONAL = {
    "higher_ed_students_thousand": ("thousand", "monthly", "students of higher education, all forms"),
    "higher_ed_day_share": ("fraction", "monthly", "share of students studying by day"),
    "higher_ed_stazh_share": ("fraction of admissions", "monthly", "entrants with two years of work"),
    "education_grievance_contribution": ("log points", "monthly", "the reform's grievance added to the urban grievance"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """Students, the day share, the work-experience share, the grievance."""
    e = state.education
    total = e.day + e.part
    return {"higher_ed_students_thousand": total, "higher_ed_day_share": e.day / total,
            "higher_ed_stazh_share": e.stazh_share, "education_grievance_contribution": e.grievance_contribution}
