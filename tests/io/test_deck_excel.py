"""Price-deck Excel import/export with real workbooks written by openpyxl in each layout."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from riskdesk.domain.deck import DeckSeries, PriceDeck
from riskdesk.domain.problems import ValidationError
from riskdesk.io.deck_excel import read_deck_xlsx, write_deck_xlsx


def _save(wb: openpyxl.Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ValidationError) as ei:
        read_deck_xlsx(path)
    return [str(p) for p in ei.value.problems]


def _bench_rows_wb(title_rows: bool = True) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for scen, brent in (("Low", 60.0), ("Base", 75.0), ("High", 90.0)):
        ws = wb.create_sheet(scen)
        r0 = 1
        if title_rows:
            ws["A1"] = f"Corporate price deck - {scen} case"
            ws.merge_cells("A1:F1")
            ws["A2"] = "Prices in nominal terms"
            r0 = 4  # row 3 blank
        ws.cell(r0, 1, "Benchmark")
        ws.cell(r0, 2, "Unit")
        ws.cell(r0, 3, 2027)  # year as a number
        ws.cell(r0, 4, "2028")  # year as text
        ws.cell(r0, 5, dt.datetime(2029, 1, 1))  # year as a date
        ws.cell(r0 + 1, 1, "Brent")
        ws.cell(r0 + 1, 2, "USD/bbl")
        for i in range(3):
            ws.cell(r0 + 1, 3 + i, brent + i)
        ws.cell(r0 + 3, 1, "Henry Hub")  # blank row between benchmarks
        ws.cell(r0 + 3, 2, "USD/MMBtu")
        ws.cell(r0 + 3, 3, "3.5")
        ws.cell(r0 + 3, 4, "1,234.5")  # number stored as text with a thousands separator
        ws.cell(r0 + 3, 5, 4)
        ws.cell(r0 + 5, 1, "Source: planning department, not for distribution")
    return wb


def test_that_benchmark_rows_with_titles_notes_and_mixed_year_types_are_read(tmp_path):
    res = read_deck_xlsx(_save(_bench_rows_wb(), tmp_path / "deck.xlsx"), name="Corp")
    deck = res.deck
    assert deck.name == "Corp"
    assert deck.scenarios == ["Low", "Base", "High"]
    assert deck.benchmarks == ["Brent", "Henry Hub"]
    brent = deck.get("Base", "Brent")
    assert brent.unit == "USD/bbl" and brent.frequency == "annual"
    assert brent.points == (("2027", 75.0), ("2028", 76.0), ("2029", 77.0))
    assert deck.get("High", "Henry Hub").points == (("2027", 3.5), ("2028", 1234.5),
                                                    ("2029", 4.0))
    assert res.layouts == {"Low": "benchmark rows", "Base": "benchmark rows",
                           "High": "benchmark rows"}


def test_that_period_rows_with_units_in_header_text_and_monthly_dates_are_read(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Base"
    ws["B2"] = "Monthly strip"
    ws["B4"] = "Month"
    ws["C4"] = "Brent (USD/bbl)"
    ws["D4"] = "TTF [EUR/MWh]"
    for i in range(3):
        ws.cell(5 + i, 2, dt.datetime(2027, 1 + i, 1))
        ws.cell(5 + i, 3, 70.0 + i)
        ws.cell(5 + i, 4, 30.0 + i)
    ws.cell(8, 2, 46478)  # Excel serial of 2027-04-01
    ws.cell(8, 3, 73.0)
    ws.cell(8, 4, 33.0)
    ws.cell(9, 2, "2027-05")  # YYYY-MM text
    ws.cell(9, 3, 74.0)
    ws.cell(9, 4, 34.0)
    deck = read_deck_xlsx(_save(wb, tmp_path / "strip.xlsx")).deck
    brent = deck.get("Base", "Brent")
    assert brent.unit == "USD/bbl" and brent.frequency == "monthly"
    assert brent.periods == ["2027-01", "2027-02", "2027-03", "2027-04", "2027-05"]
    assert deck.get("Base", "TTF").values == [30.0, 31.0, 32.0, 33.0, 34.0]


def test_that_period_rows_with_a_second_header_row_of_units_are_read(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Base"
    ws.append(["Year", "Brent", "Carbon"])
    ws.append([None, "USD/bbl", "USD/t"])
    ws.append([2027, 80, 100])
    ws.append([2028, 82, 110])
    ws.append(["Note: carbon from EU ETS forecast", None, None])
    deck = read_deck_xlsx(_save(wb, tmp_path / "d.xlsx")).deck
    assert deck.unit("Carbon") == "USD/t"
    assert deck.get("Base", "Carbon").points == (("2027", 100.0), ("2028", 110.0))


def test_that_a_long_table_in_any_column_order_and_case_is_read(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws["A1"] = "Export from planning system"
    ws.append([])
    ws.append(["VALUE", "unit", "Period", "SCENARIO", "benchmark"])
    rows = [(75, "USD/bbl", 2027, "Base", "Brent"), (77, "USD/bbl", "2028", "Base", "Brent"),
            (60, "USD/bbl", 2027, "Low", "Brent"), ("3.1", "USD/MMBtu", 2027, "Base", "HH")]
    for r in rows:
        ws.append(list(r))
    deck = read_deck_xlsx(_save(wb, tmp_path / "long.xlsx")).deck
    assert deck.scenarios == ["Base", "Low"]
    assert deck.get("Base", "Brent").points == (("2027", 75.0), ("2028", 77.0))
    assert deck.get("Base", "HH").values == [3.1]


@pytest.mark.parametrize("mutate, where, reason", [
    (lambda ws: ws.__setitem__("D5", "n/a"), "Base!D5", "non-numeric"),
    (lambda ws: ws.__setitem__("B5", None), "Base!A5", "missing unit"),
    (lambda ws: ws.__setitem__("D4", dt.datetime(2029, 1, 1)), "Base!E4", "duplicate period"),
    (lambda ws: ws.__setitem__("A7", "Brent"), "Base!A7", "duplicate benchmark"),
    (lambda ws: ws.__setitem__("D5", "=C5*1.02"), "Base!D5", "formula without a cached value"),
])
def test_that_bad_cells_are_rejected_naming_sheet_and_cell(tmp_path, mutate, where, reason):
    wb = _bench_rows_wb()
    mutate(wb["Base"])
    probs = _problems(_save(wb, tmp_path / "bad.xlsx"))
    assert any(p.startswith(where + ":") and reason in p for p in probs), probs


def test_that_mixed_units_in_one_benchmark_across_scenarios_are_rejected(tmp_path):
    wb = _bench_rows_wb()
    wb["High"]["B5"] = "USD/m3"
    probs = _problems(_save(wb, tmp_path / "mixed.xlsx"))
    assert any(p.startswith("High!B5:") and "mixed units" in p for p in probs), probs


def test_that_a_formula_with_a_cached_value_is_read_as_its_value(tmp_path):
    wb = _bench_rows_wb(title_rows=False)
    wb["Base"]["D2"] = "=C2+1"
    path = _save(wb, tmp_path / "cached.xlsx")
    # give the formula a cached value, as Excel does when it saves
    out = tmp_path / "cached2.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == f"xl/worksheets/sheet{2}.xml":
                data = data.replace(b"<f>C2+1</f><v></v>", b"<f>C2+1</f><v>76</v>")
                data = data.replace(b"<f>C2+1</f><v />", b"<f>C2+1</f><v>76</v>")
            zout.writestr(item, data)
    assert read_deck_xlsx(out).deck.get("Base", "Brent").value("2028") == 76.0


def _sample_deck() -> PriceDeck:
    return PriceDeck(
        name="=Corporate 2027", basis="real", base_year=2026, escalation=0.02,
        notes="=SUM(A1) is text, not a formula",
        series=(
            DeckSeries("Base", "Brent", "USD/bbl", "annual",
                       (("2027", 75.123456789), ("2028", 76.0), ("2030", 1e-3))),
            DeckSeries("Base", "=Henry Hub", "USD/MMBtu", "monthly",
                       (("2027-01", 3.25), ("2027-02", 3.5))),
            DeckSeries("Low: stress/case", "Brent", "USD/bbl", "annual",
                       (("2027", 55.0), ("2028", 50.5))),
            DeckSeries("Low: stress/case", "Inflation", "%", "annual", (("2027", 2.1),)),
        ))


def test_that_export_then_import_gives_back_the_identical_deck(tmp_path):
    deck = _sample_deck()
    path = tmp_path / "out.xlsx"
    write_deck_xlsx(deck, path)
    back = read_deck_xlsx(path).deck
    assert back == deck
    assert back.content_hash() == deck.content_hash()


def test_that_exported_text_starting_with_equals_stays_text(tmp_path):
    path = tmp_path / "out.xlsx"
    write_deck_xlsx(_sample_deck(), path)
    wb = openpyxl.load_workbook(path, data_only=False)
    assert wb["Base"]["A3"].value == "=Henry Hub"
    assert wb["Base"]["A3"].data_type == "s"
    assert wb["Metadata"]["B2"].data_type == "s"


def test_that_export_has_frozen_panes_number_formats_and_a_metadata_sheet(tmp_path):
    path = tmp_path / "out.xlsx"
    write_deck_xlsx(_sample_deck(), path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Base", "Low_ stress_case", "Metadata"]
    ws = wb["Base"]
    assert ws.freeze_panes == "C2"
    assert ws["C2"].number_format == "#,##0.00"
    assert wb["Metadata"]["B3"].value == "real"


def test_that_a_file_without_any_price_table_is_rejected(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Just some notes"
    probs = _problems(_save(wb, tmp_path / "empty.xlsx"))
    assert any("no price table" in p for p in probs)


def test_that_a_deck_in_a_file_that_is_not_xlsx_is_rejected_by_name(tmp_path):
    path = tmp_path / "deck.csv"
    path.write_text("Benchmark,2027\nBrent,75\n")
    probs = _problems(path)
    assert probs == ["deck.csv: not an .xlsx file (no ZIP container)"]


def test_that_monthly_headers_as_dates_serials_and_text_are_read_in_benchmark_rows(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Strip"
    ws.append(["Benchmark", "Unit", dt.datetime(2027, 1, 1), 46419, "2027-03", "Apr 2027"])
    ws.append(["WTI", "USD/bbl", 68, 69, 70, 71])
    deck = read_deck_xlsx(_save(wb, tmp_path / "m.xlsx")).deck
    s = deck.get("Strip", "WTI")
    assert s.frequency == "monthly"
    assert s.periods == ["2027-01", "2027-02", "2027-03", "2027-04"]


def test_that_a_year_column_of_dates_reads_as_years_and_metadata_sets_the_basis(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Base"
    ws.append(["Year", "Brent (USD/bbl)"])
    ws.append([dt.datetime(2027, 1, 1), 70])
    ws.append([dt.datetime(2028, 1, 1), 72])
    meta = wb.create_sheet("Metadata")
    meta.append(["Name", "Board deck"])
    meta.append(["Basis", "Real"])
    meta.append(["Reference year", 2026])
    meta.append(["Escalation", "2.5%"])
    deck = read_deck_xlsx(_save(wb, tmp_path / "y.xlsx")).deck
    assert deck.get("Base", "Brent").points == (("2027", 70.0), ("2028", 72.0))
    assert (deck.name, deck.basis, deck.base_year, deck.escalation) == ("Board deck", "real",
                                                                        2026, 0.025)


def test_that_a_unit_column_contradicting_the_header_text_is_rejected(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Base"
    ws.append(["Benchmark", "Unit", 2027, 2028])
    ws.append(["Brent (USD/bbl)", "EUR/bbl", 70, 71])
    probs = _problems(_save(wb, tmp_path / "u.xlsx"))
    assert any(p.startswith("Base!B2:") and "mixed units" in p for p in probs), probs


def test_that_a_header_below_row_20_is_not_taken_for_a_table(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Base"
    ws.cell(21, 1, "Benchmark")
    ws.cell(21, 2, 2027)
    ws.cell(21, 3, 2028)
    ws.cell(22, 1, "Brent (USD/bbl)")
    probs = _problems(_save(wb, tmp_path / "low.xlsx"))
    assert any("no price table" in p for p in probs)


def test_that_a_long_table_with_mixed_units_and_duplicates_lists_every_problem(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Long"
    ws.append(["Scenario", "Benchmark", "Period", "Value", "Unit"])
    ws.append(["Base", "Brent", "2027-01", 70, "USD/bbl"])
    ws.append(["Base", "Brent", dt.datetime(2027, 1, 1), 71, "USD/bbl"])  # same month again
    ws.append(["Low", "Brent", "2027-01", 60, "USD/b"])
    probs = _problems(_save(wb, tmp_path / "long.xlsx"))
    assert any(p.startswith("Long!C3:") and "duplicate period 2027-01" in p for p in probs)
    assert any(p.startswith("Long!E4:") and "mixed units" in p for p in probs)


def test_that_a_sheet_with_a_huge_used_range_is_refused_without_reading_it(tmp_path):
    wb = _bench_rows_wb()
    wb["Base"].cell(1_048_576, 16_384, "stray")
    probs = _problems(_save(wb, tmp_path / "huge.xlsx"))
    assert probs[0].startswith("Base: sheet uses 1,048,576 rows x 16,384 columns")
