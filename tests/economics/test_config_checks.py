"""Economics inputs that used to give quiet wrong answers (issue 22) are one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from transcaspian.cli import main
from transcaspian.economics import costbook
from transcaspian.economics.config import CostOverride, EconomicsConfig, iso_4217
from transcaspian.errors import ScenarioError
from transcaspian.scenario import default_scenario_text, loads_scenario
from usererror import assert_user_error

DEFAULT = default_scenario_text()


def _swap(old: str, new: str) -> str:
    assert old in DEFAULT, old
    return DEFAULT.replace(old, new, 1)


@pytest.mark.parametrize("rate", ["-0.5", "-0.01", "0.51", "1.0"])
def test_implausible_discount_rate_is_refused(rate: str) -> None:
    with pytest.raises(ScenarioError) as exc:
        loads_scenario(_swap("discount_rate: 0.11", f"discount_rate: {rate}"), source="my.yaml")
    assert_user_error(exc.value, "my.yaml")
    assert "economics.discount_rate: Input should be" in str(exc.value)


@pytest.mark.parametrize("rate", [0.0, 0.03, 0.25, 0.5])
def test_plausible_discount_rates_are_accepted(rate: float) -> None:
    assert EconomicsConfig(discount_rate=rate).discount_rate == rate


@pytest.mark.parametrize("code", ["US$", "usd", "XYZ", "EU€"])
def test_currency_not_iso_4217_is_refused_as_such(code: str) -> None:
    with pytest.raises(ScenarioError) as exc:
        loads_scenario(_swap("currency: USD", f'currency: "{code}"'), source="my.yaml")
    assert_user_error(exc.value, "my.yaml")
    msg = str(exc.value)
    assert f"economics.currency: {code!r} is not an ISO 4217 currency code" in msg, msg
    assert "cost" not in msg.lower(), msg


def test_currency_is_refused_before_the_cost_book_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kw: object) -> None:
        raise AssertionError("the cost book was read before the currency was checked")

    monkeypatch.setattr(costbook, "parse_cost_book", boom)
    path = tmp_path / "s.yaml"
    path.write_text(_swap("currency: USD", 'currency: "US$"'), encoding="utf-8")
    assert main(["economics", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "economics.currency: 'US$' is not an ISO 4217 currency code" in err, err


def test_override_currency_must_be_iso_4217() -> None:
    with pytest.raises(ValueError, match="not an ISO 4217 currency code"):
        CostOverride(value=1.0, currency="US$")
    assert CostOverride(value=1.0, currency="EUR").currency == "EUR"


def test_iso_4217_codes() -> None:
    assert [iso_4217(c) for c in ("USD", "EUR", "AZN", "KZT")] == ["USD", "EUR", "AZN", "KZT"]
