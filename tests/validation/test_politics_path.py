"""The political path table: the rows validate prints and the docs script writes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from ottepel.analysis.validation.politics_patterns import path_table, politics_pattern_rows
from ottepel.ensemble.simulate import simulate

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "politics_figures.py"


@pytest.fixture(scope="module")
def result():
    return simulate("khrushchev-1953", runs=60, seed=0)


def test_path_table_rows_and_intervals(result):
    t = path_table(result).set_index("key")
    for k in ("beria", "malenkov", "anti_party", "dual", "removal", "all_five", "upheld_year",
              "removal_year", "successor", "zhukov"):
        assert k in t.index
    assert ((t.ci_low <= t.probability) & (t.probability <= t.ci_high)).all()
    assert t.loc["all_five", "probability"] <= t.loc[["beria", "malenkov", "anti_party", "dual",
                                                      "removal"], "probability"].min()
    assert t.claim.str.len().gt(10).all() and t.source.str.len().gt(5).all()


def test_validate_rows_carry_claim_and_source(result):
    rows = politics_pattern_rows(result)
    assert len(rows) >= 14
    assert rows.tolerance.str.contains("; literature: ").all()
    assert rows.literature.str.len().gt(5).all()


def test_docs_script_prints_the_validate_rows(result):
    spec = importlib.util.spec_from_file_location("politics_figures", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = mod.table("khrushchev-1953", 60, 0)
    for r in politics_pattern_rows(result).itertuples():
        assert f"| {r.pattern} | {r.value:.3f} ({r.lo:.3f}-{r.hi:.3f}) |" in text
