"""docs/ODD.md stays true to the code: every mechanism and parameter is described."""

from pathlib import Path

from ottepel.core import mechanisms
from ottepel.core.catalog import parameter_table

ODD = (Path(__file__).resolve().parents[1] / "docs" / "ODD.md").read_text()


def test_every_mechanism_in_odd():
    for mech in mechanisms.ORDER:
        assert f"mechanisms/{mech.NAME}.py" in ODD or f"`{mech.NAME}`" in ODD, mech.NAME


def test_every_parameter_in_odd_with_unit_and_source():
    for row in parameter_table():
        assert f"`{row['path']}`" in ODD, f"{row['path']} missing: run scripts/build_odd.py"
        assert row["unit"] and row["source"], row["path"]
        assert row["lo"] <= row["default"] <= row["hi"], row["path"]
