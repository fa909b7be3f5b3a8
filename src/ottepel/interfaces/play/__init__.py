"""Turn-based play: one run of a scenario, stepped a quarter at a time by a player.

The package: ``rules`` (turn length, main levers, dashboard, roles, :class:`GameError`),
``views`` (what the player sees of run 0: national values, politics, events),
``saves`` (the save file's format and checks) and ``game`` (the :class:`Game`).

The same core serves the terminal game, the web dashboard and the Gymnasium env. A
:class:`Game` holds one run (``runs=1``) of a scenario and steps it month by month with
``engine.step``, exactly as ``engine.run_chunk`` does, so a game in which the player
changes nothing is bit-identical to run 0 of ``simulate(scenario, runs=1, seed=seed)``.

A turn is a quarter (three months). Before a turn the player may set any policy lever
(``choices()`` lists them with kind, range, unit, meaning and current value). A choice
holds from the current month until the player changes it: the rest of the historical
schedule for that lever is set aside, while levers the player never touches follow the
scenario's schedule. Annual plans (maize, ploughing, procurement, exports) are read by
the mechanisms in a given month (sowing in April, harvest in September), so a plan set
after that month takes effect the next year. A regional lever (virgin ploughing) is
chosen as one national amount, spread over regions by the scenario's own pattern for
that lever. Pulse levers fire once, in the first month of the coming turn.

The game ends when the horizon is reached or the player's leader is removed. Removal
is read from the ``politics`` domain if the model has one (see :func:`politics_view`
for the fields it expects). A game is saved as JSON (scenario, seed, role and the
choices of every turn); loading replays it, deterministically.

Example::

    game = Game.new("khrushchev-1953", seed=0)
    game.apply({"maize_target_mha": 10.0})
    report = game.advance()          # March-May 1953
    game.save("game.json")
    same = Game.load("game.json")    # replays to the same state
"""

from ottepel.interfaces.play.game import Game
from ottepel.interfaces.play.rules import (
    INDICATORS,
    KNOWN_LEADERS,
    MAIN_LEVERS,
    MONTHS_PER_TURN,
    GameError,
)
from ottepel.interfaces.play.saves import SAVE_FORMAT, SAVE_VERSION
from ottepel.interfaces.play.views import national_values, politics_view, reported_counterpart

__all__ = [
    "Game", "GameError", "INDICATORS", "KNOWN_LEADERS", "MAIN_LEVERS", "MONTHS_PER_TURN",
    "SAVE_FORMAT", "SAVE_VERSION", "national_values", "politics_view", "reported_counterpart",
]
