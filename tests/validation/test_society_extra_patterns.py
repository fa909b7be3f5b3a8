"""Religion, money and promises against the record and their counterfactuals (issue 18)."""

import pytest

from ottepel.analysis.validation import PATTERNS
from ottepel.analysis.validation.society_extra_patterns import society_extra_patterns
from ottepel.ensemble.simulate import simulate


@pytest.fixture(scope="module")
def table():
    return society_extra_patterns(simulate("khrushchev-1953", runs=60, seed=0)).set_index("pattern")


def test_registered_and_empty_without_a_result():
    assert society_extra_patterns in PATTERNS
    assert society_extra_patterns(None).empty


def test_every_row_passes_and_names_its_claim(table):
    assert len(table) == 24
    failed = table.index[~table["passed"]].tolist()
    assert not failed, failed
    assert table["claim"].str.contains(r"\(").all()  # every claim cites a source


def test_campaign_halves_the_churches_and_the_freeze_is_felt(table):
    assert table.loc["churches 1965 with / without the campaign (paired)", "value"] < 0.75
    assert table.loc["urban grievance higher with the loan freeze, 1957-58 (paired)", "value"] >= 0.9
    assert table.loc["Seven-Year Plan promises of real income and housing both broken by 1964", "value"] > 0.5


def test_the_wall_stops_the_flight(table):
    assert table.loc["flight 1962-64 with / without the Wall (paired)", "value"] < 0.3
    assert table.loc["flight 1962 / 1960 (the Wall)", "value"] < 0.3


def test_the_school_reform_moves_study_to_evenings(table):
    assert table.loc["day share lower with the 1958 reform, 1964 (paired)", "value"] >= 0.95
