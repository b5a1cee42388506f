"""exchange_rates.csv: every way it is read, and every way it is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.findings import FileRefused
from pipeline.read.rates import read_exchange_rates

HEADER = "currency,period,units_per_usd\n"


def _rates(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "exchange_rates.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_no_rates(tmp_path: Path) -> None:
    assert read_exchange_rates(tmp_path / "exchange_rates.csv") == {}


def test_rates_by_currency_and_period(tmp_path: Path) -> None:
    path = _rates(tmp_path, HEADER + "kes,2004,79.17\nUGX,,1800\n\n")
    assert read_exchange_rates(path) == {("KES", "2004"): 79.17, ("UGX", ""): 1800.0}


def test_a_semicolon_file_is_read(tmp_path: Path) -> None:
    path = _rates(tmp_path, "currency;period;units_per_usd\nKES;2004;79,17\nUGX;;1800\n")
    with pytest.raises(FileRefused) as refused:
        read_exchange_rates(path)  # "79,17": a decimal comma is not a rate
    assert refused.value.finding.line == 2
    path = _rates(tmp_path, "currency;period;units_per_usd\nUGX;;1800\n")
    assert read_exchange_rates(path) == {("UGX", ""): 1800.0}


@pytest.mark.parametrize(
    ("text", "rule", "message"),
    [
        ("", "empty-file", "The file is empty."),
        ("  \n\n", "empty-file", "The file is empty."),
        ("code,year,rate\nKES,2004,79\n", "bad-exchange-rates", "The header is code, year, rate"),
        ("\xff\xfe\x00", "unknown-encoding", ""),
    ],
)
def test_a_file_without_the_header_is_refused(
    tmp_path: Path, text: str, rule: str, message: str
) -> None:
    path = _rates(tmp_path, "")
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(FileRefused) as refused:
        read_exchange_rates(path)
    finding = refused.value.finding
    assert (finding.file, finding.rule) == ("exchange_rates.csv", rule)
    assert message in finding.message and finding.fix


@pytest.mark.parametrize(
    "row",
    [
        "KES,2004,about 80",  # not a number
        "KES,2004,0",  # no currency is worth nothing
        "KES,2004,-79",
        "KES,2004,inf",
        "KES,2004,nan",
        "KENYA,2004,79",  # not a 3-letter code
        "KES,2004",  # too few cells
    ],
)
def test_a_bad_row_is_refused_with_its_line(tmp_path: Path, row: str) -> None:
    path = _rates(tmp_path, HEADER + "UGX,,1800\n" + row + "\n")
    with pytest.raises(FileRefused) as refused:
        read_exchange_rates(path)
    finding = refused.value.finding
    assert (finding.line, finding.rule, finding.value) == (3, "bad-exchange-rates", row)
