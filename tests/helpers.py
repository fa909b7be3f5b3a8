"""Small helpers shared by several test modules (``tests`` is on the pytest path)."""


class Overrides:
    """The scenario's decisions with some levers replaced by constants."""

    def __init__(self, base, **values):
        self.base, self.values = base, values

    def at(self, lever, m):
        return self.values[lever] if lever in self.values else self.base.at(lever, m)
