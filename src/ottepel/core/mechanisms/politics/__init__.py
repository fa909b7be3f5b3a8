"""Politics: the Presidium, the Central Committee and the struggle for power.

Contents (one module per concern; the arrows are the only imports between them):

- ``leaders``: the named leaders, offices and statuses, the CC composition by congress,
  the dated political record (data tables, read once);
- ``params``: ``Params`` and ``LEVERS``;
- ``state``: ``PoliticsState`` and ``init`` (March 1953);
- ``work``: ``Work``, the month's copy-on-write arrays and events;
- ``cc``: the Central Committee's members: congresses, turnover, plenum votes;
- ``power``: each leader's power and the plenum estimates (<- leaders, cc, work);
- ``moves``: removal, arrest, trials, deaths, appointments (<- cc, work);
- ``votes``: detection, Presidium votes, plenums, retaliation (<- moves, power);
- ``struggle``: threat, hostility, coalitions and plots: who moves, and when (<- votes);
- ``policies``: what policy, prestige and the CC's renewal do to politics;
- ``step``: the monthly step (<- all the above);
- ``outputs``: ``NATIONAL`` and ``national``.

Each month (``step``):

1. destalinisation levers move the Stalin-era leaders' legitimacy, the hardliners'
   grievance and the violence norm; the sovnarkhoz reform, troop cuts, cadre rotation and
   the party's bifurcation raise the grievances of the CC groups they hurt;
2. prestige decays and is credited with outcomes: the harvest against expectation (each
   October) to the First Secretary who runs agriculture, optional world prestige shocks;
3. the CC: congresses re-elect it, the First Secretary replaces regional secretaries
   (the circular flow of power, Daniels 1971);
4. the struggle in free mode, or the dated record (``political_record.csv``) in pinned
   mode; then vacant offices and Presidium seats are filled;
5. ``adoption``: for each decision sponsor, how far the leader in charge of this run would
   carry out his decisions (1 if the sponsor is First Secretary or Premier; otherwise the
   stance similarity of the leader in charge); ``Decisions.at_runs`` reads it.

Optional couplings (read with ``state.domains.get``, absent domains are ignored):
``state.society.grievance_national`` (runs,) standing units, added to every CC group's
grievance toward the First Secretary; ``state.world.prestige_shock`` (runs,) standing units
per month, credited to the First Secretary (Sputnik +, Cuba -).
"""

from __future__ import annotations

from ottepel.core.mechanisms.politics.outputs import LEADER_VARS, NATIONAL, national
from ottepel.core.mechanisms.politics.params import LEVERS, SHARED_LEVERS, Params
from ottepel.core.mechanisms.politics.policies import POLICY_AXES
from ottepel.core.mechanisms.politics.state import PoliticsState, init
from ottepel.core.mechanisms.politics.step import CC_MOOD_WEIGHTS, NAME, step

__all__ = ["CC_MOOD_WEIGHTS", "LEADER_VARS", "LEVERS", "NAME", "NATIONAL", "POLICY_AXES",
           "SHARED_LEVERS", "Params", "PoliticsState", "init", "national", "step"]
