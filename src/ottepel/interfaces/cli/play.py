"""``ottepel play``: the terminal game, one turn a quarter, over :class:`ottepel.interfaces.play.Game`.

The player is First Secretary (or another leader, ``--role``). Each turn shows a dashboard
of indicators (true values, and the official figure where the model keeps one), the
political situation when the model has a politics domain, and the levers of the
decisions as choices. The player gives orders, one per line, and ends the turn with an
empty line; the rivals act by the model's own politics while the quarter is simulated.
The game ends when the player's leader is removed or the horizon is reached.

Orders at the prompt::

    maize_target_mha=10     set a lever (also: "maize_target_mha 10", or its number "6=10")
    list | list all         the main levers (or all) with their current values and ranges
    save [FILE]             save the game (JSON; resume with --load)
    help                    this list
    quit                    stop (saves first when --save was given)
    <Enter>                 end the turn: simulate the next quarter

End of input (Ctrl-D) counts as quit.
"""

from __future__ import annotations

import math
from pathlib import Path

import typer
from rich.table import Table

HELP = __doc__.split("Orders at the prompt::", 1)[1].split("End of input", 1)[0].rstrip()


def _num(x) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    return f"{x:,.3f}" if abs(x) < 1 else f"{x:,.1f}"


def dashboard(game) -> Table:
    """The indicators of the game now: value, official figure, as of when."""
    t = Table(title=f"{game.date}  turn {game.turn}  ({game.role.title()}, seed {game.seed})",
              title_justify="left")
    for col in ("indicator", "value", "official", "unit", "as of"):
        t.add_column(col, justify="left" if col in ("indicator", "unit") else "right")
    for name, ind in game.indicators().items():
        t.add_row(name, _num(ind["value"]), _num(ind["reported"]), ind["unit"],
                  str(ind["as_of"] or "-"))
    return t


def politics_lines(view) -> list[str]:
    """The political situation in a few lines (empty when the model has no politics)."""
    if not view:
        return []
    lines = [f"First Secretary: {view.get('first_secretary') or '-'}; your power: "
             f"{_num(view.get('leader_power'))}"]
    power = view.get("power") or {}
    ranked = sorted(((v, k) for k, v in power.items() if v is not None), reverse=True)[:6]
    if ranked:
        lines.append("strongest: " + ", ".join(f"{k} {v:.2f}" for v, k in ranked))
    return lines


def choices_table(game, show_all: bool = False) -> Table:
    """The levers, numbered, with their value now, schedule, range and unit."""
    t = Table(title="levers (set with name=value or number=value)", title_justify="left")
    for col in ("#", "lever", "now", "schedule", "range", "unit", "kind"):
        t.add_column(col, justify="right" if col in ("#", "now", "schedule") else "left")
    for i, c in enumerate(game.choices(), 1):
        if c["main"] or show_all:
            mark = "*" if c["set_by_player"] else ""
            t.add_row(str(i), c["name"] + mark, _num(c["value"]), _num(c["scheduled"]),
                      f"{c['lo']:g}-{c['hi']:g}", c["unit"], c["kind"])
    return t


def parse_order(text: str, names: list[str]) -> tuple[str, float]:
    """``name=value``, ``name value`` or ``number=value`` -> (lever, value).

    Raises:
        ValueError: with a message for the player.
    """
    sep = "=" if "=" in text else " "
    key, _, val = text.partition(sep)
    key, val = key.strip(), val.strip()
    if key.isdigit():
        i = int(key)
        if not 1 <= i <= len(names):
            raise ValueError(f"no lever number {i}; type 'list all'")
        key = names[i - 1]
    try:
        value = float(val)
    except ValueError:
        raise ValueError(f"{text!r}: expected name=value with a number; type 'help'") from None
    return key, value


def _read(console) -> str | None:
    try:
        return console.input("[bold]orders>[/] ").strip()
    except EOFError:
        return None


def play_turn_orders(game, console, save: Path | None) -> bool:
    """Read orders until an empty line (True) or quit/end of input (False)."""
    from ottepel.interfaces.play import GameError

    names = [c["name"] for c in game.choices()]
    while True:
        line = _read(console)
        if line is None or line.lower() in ("quit", "q", "exit"):
            return False
        if not line:
            return True
        word = line.split()[0].lower()
        if word in ("help", "?"):
            console.print(HELP, highlight=False)
        elif word == "list":
            console.print(choices_table(game, show_all="all" in line.lower()))
        elif word == "save":
            target = Path(line.split(maxsplit=1)[1]) if len(line.split()) > 1 else save
            if target is None:
                console.print("save where? give a file: save game.json")
            else:
                console.print(f"saved: {game.save(target)}")
        else:
            try:
                applied = game.apply(dict([parse_order(line, names)]))
                console.print("set " + ", ".join(f"{k} = {v:g}" for k, v in applied.items()))
            except (ValueError, GameError) as exc:
                console.print(f"[red]{exc}[/]", highlight=False)


def _report_turn(console, report: dict) -> None:
    for ev in report.get("events", [])[:8]:
        console.print(f"  {ev['month']} {ev['kind']} {_num(ev.get('magnitude'))} "
                      f"{ev.get('actors') or ''}", highlight=False)


def play(
    scenario: str = typer.Option("khrushchev-1953", "--scenario", "-s",
                                 help="packaged scenario name or TOML path"),
    seed: int = typer.Option(0, "--seed", min=0, max=2**63 - 1, help="the game's seed"),
    role: str = typer.Option("khrushchev", "--role", help="the leader you play"),
    load: Path | None = typer.Option(None, "--load", help="resume a saved game"),
    save: Path | None = typer.Option(None, "--save", help="save the game here after every turn"),
    quiet: bool = typer.Option(False, "--quiet", help="show the dashboard once a year only"),
) -> None:
    """Play one run as First Secretary (or another leader), a quarter per turn."""
    from ottepel.interfaces.cli.common import console, fail
    from ottepel.interfaces.play import Game, GameError

    try:
        game = Game.load(load) if load else Game.new(_scenario(scenario), seed, role)
    except GameError as exc:
        fail(str(exc))
    console.print(f"[bold]{game.scenario.title or game.scenario.name}[/]: you are "
                  f"{game.role.title()}. Type 'help' for orders, 'list' for the levers, "
                  "Enter to end a turn.")
    console.print(choices_table(game))
    while not game.over:
        if not quiet or game.turn % 4 == 0:
            console.print(dashboard(game))
            for line in politics_lines(game.to_dict().get("politics")):
                console.print(line, highlight=False)
        if not play_turn_orders(game, console, save):
            break
        report = game.advance()
        console.print(f"[dim]turn {report['turn']}: {report['from']} to {report['to']}[/]")
        _report_turn(console, report)
        if save:
            game.save(save)
    _finish(console, game, save)


def _scenario(ref: str):
    from ottepel.interfaces.cli.common import load_or_fail

    return load_or_fail(ref)


def _finish(console, game, save: Path | None) -> None:
    console.print(dashboard(game))
    if game.over:
        console.print(f"[bold]Game over[/] in {game.date}: {game.reason}.", highlight=False)
    else:
        console.print(f"Stopped in {game.date} after {game.turn} turns.")
    if save:
        console.print(f"saved: {game.save(save)} (resume with --load {save})")


def register(app: typer.Typer) -> None:
    """Add the ``play`` command to the CLI."""
    app.command("play")(play)
