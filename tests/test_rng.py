"""Counter-based random streams."""

import numpy as np

from ottepel.core.rng import Streams


def test_same_key_same_draws():
    a = Streams(5, np.arange(10)).uniform(3, "x", (4,))
    b = Streams(5, np.arange(10)).uniform(3, "x", (4,))
    assert np.array_equal(a, b)


def test_run_alone_equals_run_in_chunk():
    chunk = Streams(5, np.arange(100, 200)).normal(7, "weather.macro", (11,))
    alone = Streams(5, np.array([142])).normal(7, "weather.macro", (11,))
    assert np.array_equal(chunk[42], alone[0])


def test_keys_change_draws():
    s = Streams(1, np.arange(50))
    base = s.uniform(0, "a", (3,))
    assert not np.allclose(base, s.uniform(1, "a", (3,)))
    assert not np.allclose(base, s.uniform(0, "b", (3,)))
    assert not np.allclose(base, Streams(2, np.arange(50)).uniform(0, "a", (3,)))


def test_uniform_and_normal_moments():
    s = Streams(11, np.arange(20000))
    u = s.uniform(0, "u", (5,))
    assert 0 < u.min() and u.max() < 1
    assert abs(u.mean() - 0.5) < 0.005 and abs(u.var() - 1 / 12) < 0.002
    z = s.normal(0, "z", (5,))
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01
    # no correlation between neighbouring sites or runs
    assert abs(np.corrcoef(z[:, 0], z[:, 1])[0, 1]) < 0.02
    assert abs(np.corrcoef(z[:-1, 0], z[1:, 0])[0, 1]) < 0.02
