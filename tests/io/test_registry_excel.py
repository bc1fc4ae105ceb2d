"""Registry workbooks: every template column round-trips; every problem names its cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.problems import ValidationError
from riskdesk.domain.registry import Correlation, Registry
from riskdesk.domain.risk import Phasing, Risk
from riskdesk.domain.risk_table import COLUMNS
from riskdesk.io.registry_excel import read_registry_xlsx, write_registry_xlsx, write_template

EVERY_COLUMN = Registry(name="All columns", units="kNOK", months=24, start="2028-04", risks=(
    Risk("A-1", "Title", "Desc with =SUM(A1) text", "Owner One", "BU", "technical", "mitigating",
         "quantitative", 0.35, Distribution("pert", {"min": -9.0, "mode": -4.0, "max": -1.5}),
         "opex", Phasing.window(3, 4), 0.2,
         Distribution("triangular", {"min": -5.0, "mode": -2.0, "max": -1.0}), 12.5, "Do it",
         3, 4, "elicitation:session 2/T1 result 5 cooke-global alpha=0.01 pert"),
    Risk("A-2", probability=0.5, impact=Distribution("discrete", {"values": [-1.0, -5.0],
                                                                  "probs": [0.75, 0.25]}),
         affects="capex", phasing=Phasing.profile([1, 5], [0.25, 0.75]),
         post_impact=Distribution("normal", {"mean": -2.0, "sd": 0.5})),
    Risk("A-3", probability=1.0, impact=Distribution("lognormal", {"mean": 10.0, "sd": 4.0,
                                                                   "sign": -1.0})),
    Risk("A-4", probability=0.1, impact=Distribution("uniform", {"min": 1.0, "max": 2.0}),
         post_impact=Distribution("loguniform", {"min": 1.0, "max": 3.0})),
    Risk("A-5", probability=0.0, impact=Distribution("fixed", {"value": 7.0})),
    Risk("Q-1", "Qual", kind="qualitative", likelihood=2, severity=5, source="edited by hand"),
), correlation=Correlation(pairs={("A-1", "A-2"): 0.4}, between=0.1), iterations=5000, seed=7)


def test_that_every_template_column_round_trips(tmp_path: Path) -> None:
    p = write_registry_xlsx(EVERY_COLUMN, tmp_path / "r.xlsx")
    back = read_registry_xlsx(p)
    assert back.to_dict() == EVERY_COLUMN.to_dict()
    headers = [c.value for c in load_workbook(p)["Risks"][1]]
    assert headers == [c.header for c in COLUMNS]


def test_that_text_starting_with_equals_stays_text(tmp_path: Path) -> None:
    p = write_registry_xlsx(EVERY_COLUMN, tmp_path / "r.xlsx")
    c = load_workbook(p)["Risks"]["C2"]
    assert c.data_type == "s" and c.value.startswith("Desc with =SUM")


def test_that_the_template_is_empty_and_documents_each_column(tmp_path: Path) -> None:
    wb = load_workbook(write_template(tmp_path / "t.xlsx"))
    assert wb["Risks"].max_row == 1
    helps = {wb["Columns"].cell(r, 1).value for r in range(2, wb["Columns"].max_row + 1)}
    assert helps == {c.header for c in COLUMNS}


def _sheet_with(tmp_path: Path, rows: list[dict], header_row: int = 1, **extra) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Risks"
    heads = [c.header for c in COLUMNS]
    if header_row > 1:
        ws.cell(1, 1, "Registry export — Group risk")  # a title above the table
    for c, h in enumerate(heads, start=1):
        ws.cell(header_row, c, h)
    for i, row in enumerate(rows, start=header_row + 1):
        for k, v in row.items():
            ws.cell(i, [c.key for c in COLUMNS].index(k) + 1, v)
    for name, cells in extra.items():
        s = wb.create_sheet(name)
        for ref, v in cells.items():
            s[ref] = v
    p = tmp_path / "in.xlsx"
    wb.save(p)
    return p


GOOD = {"id": "R1", "probability": 0.3, "dist": "triangular", "min": -10, "mode": -5, "max": -1,
        "start": 0, "length": 2}


@pytest.mark.parametrize("change, cell, text", [
    ({"probability": 1.4}, "Risks!I3", "probability 1.4 is outside 0-1"),
    ({"probability": "lots"}, "Risks!I3", "'lots' is not a number"),
    ({"dist": "weibull"}, "Risks!J3", "unknown distribution 'weibull'"),
    ({"mode": -20}, "Risks!L3", "min -10 > mode -20"),
    ({"max": None}, "Risks!M3", "triangular max is required"),
    ({"id": None}, "Risks!A3", "risk id is required"),
    ({"start": 40}, "Risks!S3", "outside the plan horizon"),
    ({"length": 1.5}, "Risks!T3", "whole number"),
    ({"affects": "tax"}, "Risks!R3", "affects 'tax'"),
    ({"kind": "maybe"}, "Risks!H3", "kind 'maybe'"),
    ({"mitigation_cost": -5}, "Risks!AE3", "must be >= 0"),
    ({"post_probability": 2}, "Risks!V3", "outside 0-1"),
    ({"kind": "qualitative", "likelihood": 7, "severity": 2}, "Risks!AG3", "rating 7 must be 1-5"),
    ({"dist": "discrete", "values": "1;2", "probs": "0.5;0.6"}, "Risks!Q3", "sum to 1.1"),
    ({"dist": "normal", "mean": 0, "sd": -1}, "Risks!O3", "sd -1 must be > 0"),
])
def test_that_each_bad_cell_is_named_with_its_reason(tmp_path: Path, change: dict, cell: str,
                                                     text: str) -> None:
    p = _sheet_with(tmp_path, [GOOD, {**GOOD, "id": "R2", **change}], header_row=1)
    with pytest.raises(ValidationError) as ei:
        read_registry_xlsx(p, months=36)
    msgs = [str(x) for x in ei.value.problems]
    assert any(m.startswith(cell + ":") and text in m for m in msgs), msgs


def test_that_headers_are_found_below_a_title_and_blank_rows_are_skipped(tmp_path: Path) -> None:
    p = _sheet_with(tmp_path, [GOOD, {}, {**GOOD, "id": "R2"}], header_row=3)
    assert read_registry_xlsx(p).ids == ["R1", "R2"]


def test_that_duplicate_ids_and_bad_correlations_are_reported(tmp_path: Path) -> None:
    p = _sheet_with(tmp_path, [GOOD, GOOD], Correlations={
        "A1": "Risk A", "B1": "Risk B", "C1": "Rho", "A2": "R1", "B2": "R9", "C2": 1.5})
    with pytest.raises(ValidationError) as ei:
        read_registry_xlsx(p)
    msgs = [str(x) for x in ei.value.problems]
    assert any(m.startswith("Risks!A3:") and "duplicate risk id 'R1'" in m for m in msgs)
    assert any(m.startswith("Correlations!B2:") and "unknown risk id 'R9'" in m for m in msgs)
    assert any(m.startswith("Correlations!C2:") for m in msgs)


def test_that_a_formula_without_a_cached_value_is_refused(tmp_path: Path) -> None:
    p = _sheet_with(tmp_path, [{**GOOD, "probability": "=0.1*3"}])
    with pytest.raises(ValidationError, match=r"Risks!I2: formula has no calculated value"):
        read_registry_xlsx(p)


def test_that_a_non_psd_matrix_is_refused(tmp_path: Path) -> None:
    rows = [{**GOOD, "id": f"R{i}"} for i in range(3)]
    p = _sheet_with(tmp_path, rows, Correlations={
        "A1": "Risk A", "A2": "R0", "B2": "R1", "C2": 0.95, "A3": "R0", "B3": "R2", "C3": 0.95,
        "A4": "R1", "B4": "R2", "C4": -0.95})
    with pytest.raises(ValidationError, match="positive semi-definite"):
        read_registry_xlsx(p)


def test_that_a_failed_import_writes_nothing(workspace, tmp_path: Path) -> None:
    from riskdesk.cli import main
    from riskdesk.governance import audit
    from riskdesk.services.registry import RegistryService

    before = RegistryService(workspace).draft().to_dict()
    with workspace.read() as s:
        head = audit.head(s).seq
    p = _sheet_with(tmp_path, [{**GOOD, "probability": 3}])
    rc = main(["registry", "import", str(p), "--workspace", str(workspace.path)])
    assert rc != 0
    assert RegistryService(workspace).draft().to_dict() == before
    with workspace.read() as s:
        assert audit.head(s).seq == head


def test_that_non_xlsx_files_are_refused_by_name(tmp_path: Path) -> None:
    p = tmp_path / "fake.xlsx"
    p.write_text("not a workbook")
    with pytest.raises(ValidationError, match="fake.xlsx: not an .xlsx file"):
        read_registry_xlsx(p)
