"""Clipboard TSV in Excel's form, and inline cell parsing of impacts and phasing."""

from __future__ import annotations

import pytest

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.risk import Phasing
from riskdesk.ui.panels.registry_model import parse_distribution, parse_phasing
from riskdesk.ui.tsv import format_tsv, parse_risk_block, parse_tsv


def test_that_excel_clipboard_text_is_parsed_with_its_quoting():
    # what Excel puts on the clipboard for a 3x2 range with a multi-line cell and a quote
    text = 'ID\tTitle\r\nA-1\t"two\nlines"\r\nA-2\t"say ""hi"""\r\n'
    assert parse_tsv(text) == [["ID", "Title"], ["A-1", "two\nlines"], ["A-2", 'say "hi"']]


def test_that_a_quote_inside_a_cell_is_literal_and_lf_line_ends_work():
    assert parse_tsv('5" pipe\tx\ny\t\n') == [['5" pipe', "x"], ["y", ""]]


def test_that_formatting_then_parsing_gives_the_same_cells():
    rows = [["a\tb", 'q"uote', "line\r\nbreak", ""], [1, 2.5, -3.0, None]]
    assert parse_tsv(format_tsv(rows)) == [["a\tb", 'q"uote', "line\r\nbreak", ""],
                                           ["1", "2.5", "-3", ""]]


def test_that_trailing_blank_lines_are_dropped():
    assert parse_tsv("1\t2\r\n\r\n\t\r\n") == [["1", "2"]]


@pytest.mark.parametrize(("text", "dist"), [
    ("PERT(-900, -400, -250)", Distribution("pert", {"min": -900, "mode": -400, "max": -250})),
    ("triangular(-5,-3,-1)", Distribution("triangular", {"min": -5, "mode": -3, "max": -1})),
    ("-Lognormal(1500, 700)", Distribution("lognormal", {"mean": 1500, "sd": 700, "sign": -1.0})),
    ("Log-uniform(10, 1,000)", None),
    ("Fixed(-1200)", Distribution("fixed", {"value": -1200})),
    ("Normal(900, 400)", Distribution("normal", {"mean": 900, "sd": 400})),
])
def test_that_impact_text_parses_as_shown_in_the_table(text, dist):
    if dist is None:  # thousands separators are not argument separators in this form
        with pytest.raises(ValueError, match="needs 2 numbers"):
            parse_distribution(text)
    else:
        assert parse_distribution(text) == dist
        assert parse_distribution(dist.describe()) == dist


def test_that_phasing_text_parses_start_and_length():
    assert parse_phasing("M3+4") == Phasing.window(3, 4)
    assert parse_phasing("12") == Phasing.window(12, 1)
    with pytest.raises(ValueError, match="like M3\\+4"):
        parse_phasing("next spring")


def test_that_a_block_with_unknown_headers_or_repeated_ids_is_refused_whole():
    text = format_tsv([["ID", "Title", "Colour", "Kind", "Likelihood", "Impact rating"],
                       ["Q-1", "a", "red", "qualitative", 2, 3],
                       ["Q-1", "b", "blue", "qualitative", 4, 4]])
    risks, problems = parse_risk_block(text, months=36)
    assert risks == []
    where = {p.where: p.message for p in problems}
    assert "unknown column header 'Colour'" in where["row 1, column C"]
    assert "also on row 2" in where["row 3, column A (ID)"]


def test_that_a_valid_block_gives_risks_in_row_order():
    text = format_tsv([["ID", "Kind", "Likelihood", "Impact rating"],
                       ["Q-1", "qualitative", 2, 3], ["Q-2", "qualitative", 5, 1]])
    risks, problems = parse_risk_block(text, months=36)
    assert problems == []
    assert [(r.id, r.likelihood, r.severity) for r in risks] == [("Q-1", 2, 3), ("Q-2", 5, 1)]
