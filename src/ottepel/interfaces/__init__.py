"""Thin layers over ``ottepel.simulate`` and the core: the CLI, the web app, the game, and
the Gymnasium and PettingZoo environments."""
