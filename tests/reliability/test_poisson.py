"""The repair-count Poisson functions against ``scipy.stats.poisson`` (an independent
implementation): same values over the rates the reliability stage meets and beyond."""

import numpy as np
import pytest
from scipy import stats

from transcaspian.reliability import poisson

MU = [1e-6, 1e-3, 0.078, 0.5, 1.95, 3.0, 10.0, 57.3]


@pytest.mark.parametrize("mu", MU)
def test_pmf_cdf_sf_match_scipy(mu: float) -> None:
    k = np.arange(-2, 120)
    np.testing.assert_allclose(poisson.pmf(k, mu), stats.poisson.pmf(k, mu), rtol=1e-12)
    np.testing.assert_allclose(poisson.cdf(k, mu), stats.poisson.cdf(k, mu), rtol=1e-12)
    np.testing.assert_allclose(poisson.sf(k, mu), stats.poisson.sf(k, mu), rtol=1e-12)
    assert float(poisson.pmf(1.5, mu)) == 0.0  # not an integer


@pytest.mark.parametrize("mu", MU)
@pytest.mark.parametrize("q", [1e-12, 1e-6, 0.1, 0.5, 0.9, 0.95, 0.999999])
def test_quantiles_match_scipy(mu: float, q: float) -> None:
    assert poisson.ppf(q, mu) == int(stats.poisson.ppf(q, mu))
    assert poisson.isf(q, mu) == int(stats.poisson.isf(q, mu))


@pytest.mark.parametrize("q", [0.0, 1.0, -0.1, 1.5])
def test_quantile_outside_the_open_interval_is_refused(q: float) -> None:
    with pytest.raises(ValueError, match="q must be in"):
        poisson.ppf(q, 1.0)
    with pytest.raises(ValueError, match="q must be in"):
        poisson.isf(q, 1.0)
