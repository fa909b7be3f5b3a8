"""Agriculture: land allocation, maize, virgin lands, yields, procurement; and the grain record."""

import numpy as np
import pytest

from ottepel import simulate
from ottepel.core.mechanisms import agriculture as ag
from ottepel.data import load_regions
from ottepel.ensemble.results import grain_fit


def test_base_area_matches_republic_totals():
    r = load_regions()
    area = ag.base_grain_area(r, np.full(r.n, 1.0))
    assert area.sum() == pytest.approx(106.7)
    kz = area[r.republic == "Kazakh SSR"].sum()
    assert kz == pytest.approx(5.0)


def test_maize_allocation_follows_suitability_when_kappa_high():
    r = load_regions()
    arable = np.ones(r.n)
    blind = ag.maize_allocation(r, arable, 0.0)
    wise = ag.maize_allocation(r, arable, 3.0)
    assert blind.sum() == pytest.approx(1) and wise.sum() == pytest.approx(1)
    north = np.array([ag.AGRI_ZONES[z] in ("non_chernozem", "taiga_tundra") for z in r.agri_zone])
    assert wise[north].sum() < blind[north].sum()


def test_virgin_lands_emerge_in_kazakhstan(small_result):
    reg = small_result.regional
    kz = reg["grain_sown_mha"].sel(region=[c for c in reg.region.values if c.startswith("KZ")])
    ratio = kz.isel(month=-1).sum("region") / kz.isel(month=0).sum("region")
    assert float(ratio.median()) > 3  # Kazakh grain area several times its 1953 size


def test_drought_years_yield_less(small_result):
    y = small_result.annual("grain_yield_c_per_ha").median()
    assert y[1963] < y[1962] and y[1955] < y[1956]  # the recorded droughts


def test_procurement_never_exceeds_harvest(small_result):
    h = small_result.annual("grain_harvest_mt")
    p = small_result.annual("grain_procurement_mt")
    assert (p.values <= h.values).all() and (p.values >= 0).all()


def test_no_virgin_lands_counterfactual_is_lower(tmp_path, scenario):
    p = tmp_path / "nvl.toml"
    ids = ", ".join(f'"virgin_lands_{y}"' for y in range(1954, 1961))
    p.write_text(f'name = "nvl"\ninherits = "khrushchev-1953"\nremove = [{ids}]\n')
    base = simulate(scenario, runs=30, seed=2).annual("grain_harvest_mt")
    cf = simulate(str(p), runs=30, seed=2).annual("grain_harvest_mt")
    diff = (base - cf)[1956]  # paired runs: same weather
    assert (diff > 0).all() and diff.median() > 15


def test_grain_harvest_reproduces_the_official_record():
    """Issue 2 'done when': median within 15% of the official figure in >= 9 of 12 years."""
    fit = grain_fit(simulate("khrushchev-1953", runs=200, seed=11))
    assert fit["within"].sum() >= 9, fit
