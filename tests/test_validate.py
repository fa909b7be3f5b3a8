"""Validation: the CLI prints its tables; patterns register, fail safely and mark held-out."""

import pandas as pd
from typer.testing import CliRunner

from ottepel.analysis.validation import PATTERNS, register
from ottepel.analysis.validation.history import series_summary
from ottepel.analysis.validation.runner import run_patterns
from ottepel.interfaces.cli.app import app


def test_validate_cli_prints_table_and_exits_0(tmp_path):
    html = tmp_path / "v.html"
    res = CliRunner().invoke(app, ["validate", "--runs", "50", "--html", str(html)],
                             env={"COLUMNS": "160"})
    assert res.exit_code == 0, res.output
    assert "history series" in res.output and "grain_harvest_mt" in res.output
    assert "patterns" in res.output and "held-out points" in res.output
    text = html.read_text()
    assert "<h2>Series</h2>" in text and "plotly" in text.lower()


def test_patterns_register_and_errors_become_failed_rows():
    def good(result):
        return pd.DataFrame([{"pattern": "ok", "value": 1.0, "lo": 0.5, "hi": 1.5,
                              "target": 1.0, "passed": True, "tolerance": "in band",
                              "years": "1962-1963"}])

    def broken(result):
        raise ValueError("boom")

    try:
        register(good)
        register(broken)
        register(good)  # idempotent
        assert PATTERNS.count(good) == 1
        df = run_patterns(result=None, holdout_from=1961)
        ok = df[df["pattern"] == "ok"].iloc[0]
        assert ok["passed"] and ok["held_out"]
        bad = df[df["source"].str.endswith("broken")].iloc[0]
        assert not bad["passed"] and "boom" in bad["tolerance"]
    finally:
        PATTERNS.remove(good)
        PATTERNS.remove(broken)


def test_series_summary_verdicts_split_calibration_and_held_out():
    pts = pd.DataFrame({
        "variable": ["x"] * 5, "kind": ["official"] * 5, "tolerance": ["t"] * 5,
        "rel_error": [0.0, 0.01, 0.5, 0.02, 0.5], "passed": [True, True, False, True, False],
        "held_out": [False, False, False, True, True]})
    s = series_summary(pts).iloc[0]
    assert (s["calibration_passed"], s["calibration_points"]) == (2, 3)
    assert s["calibration_verdict"] == "pass" and s["holdout_verdict"] == "fail"
