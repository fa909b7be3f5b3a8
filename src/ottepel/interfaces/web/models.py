"""Request bodies of the dashboard's API: strict pydantic models.

Strict means no coercion: ``"runs": "5"``, ``"runs": true`` and ``"runs": 5.0`` are
refused (422) rather than read as 5; unknown fields are refused too (``extra="forbid"``).
A lever value may be written as an integer or a decimal number, never a string or a
boolean. The app turns validation errors into one readable sentence per problem.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MAX_SEED = 2**63 - 1
STRICT = ConfigDict(extra="forbid", strict=True)
Choices = dict[str, float]


class JobRequest(BaseModel):
    """Start an ensemble, or a paired comparison when ``compare_with`` is given."""

    model_config = STRICT
    scenario: str = Field(max_length=100)
    runs: int = Field(ge=1, le=10_000_000)
    seed: int = Field(0, ge=0, le=MAX_SEED)
    compare_with: str | None = Field(None, max_length=100)


class GameRequest(BaseModel):
    """Start a game."""

    model_config = STRICT
    scenario: str = Field("khrushchev-1953", max_length=100)
    seed: int = Field(0, ge=0, le=MAX_SEED)
    role: str = Field("khrushchev", max_length=40)


class ChoicesRequest(BaseModel):
    """Lever name -> value for the coming turn."""

    model_config = STRICT
    choices: Choices = Field(default_factory=dict, max_length=200)


class SavedTurn(BaseModel):
    """One played turn in a save file."""

    model_config = STRICT
    turn: int = Field(ge=0, le=10_000)
    month: str = Field(max_length=20)
    choices: Choices = Field(max_length=200)


class SaveCheck(BaseModel):
    """Where the saved game ended (to warn when a replay differs)."""

    model_config = STRICT
    date: str | None = Field(None, max_length=20)
    state_grain_stock_mt: float | None = None


class SaveFile(BaseModel):
    """A saved game (``GET /api/games/{id}/save``) loaded back."""

    model_config = STRICT
    format: str = Field(max_length=40)
    version: int = Field(ge=0, le=1000)
    ottepel: str | None = Field(None, max_length=40)
    scenario: str = Field(max_length=100)
    seed: int = Field(ge=0, le=MAX_SEED)
    role: str = Field(max_length=40)
    months_per_turn: int = Field(ge=1, le=120)
    turns: list[SavedTurn] = Field(max_length=2000)
    pending: Choices = Field(default_factory=dict, max_length=200)
    check: SaveCheck | None = None
