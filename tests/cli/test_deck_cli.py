"""``riskdesk deck`` and ``riskdesk asset`` on a real workspace file."""

from __future__ import annotations

import json

import openpyxl

from riskdesk.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_that_deck_show_prints_the_documented_json(workspace, capsys):
    rc, out, _ = run(capsys, "deck", "show", "Corporate 2027", "--workspace",
                     str(workspace.path), "--json")
    assert rc == 0
    d = json.loads(out)
    assert set(d) == {"name", "version", "basis", "base_year", "escalation", "series"}
    assert (d["name"], d["version"], d["basis"], d["base_year"]) == ("Corporate 2027", 1,
                                                                     "real", 2026)
    s = d["series"][0]
    assert set(s) == {"scenario", "benchmark", "unit", "frequency", "points"}
    assert s["points"][0] == ["2027", 55.0]


def test_that_export_then_dry_run_import_reports_no_changes_and_writes_nothing(
        workspace, capsys, tmp_path):
    w = str(workspace.path)
    f = str(tmp_path / "d.xlsx")
    assert run(capsys, "deck", "export", "Corporate 2027", f, "--workspace", w)[0] == 0
    rc, out, _ = run(capsys, "deck", "import", f, "--workspace", w, "--name", "Copy",
                     "--dry-run", "--json")
    assert rc == 0 and json.loads(out)["dry_run"] is True
    rc, out, _ = run(capsys, "deck", "list", "--workspace", w, "--json")
    assert [d["name"] for d in json.loads(out)] == ["Corporate 2027"]
    rc, out, _ = run(capsys, "deck", "import", f, "--workspace", w, "--name", "Copy", "--json")
    assert json.loads(out)["version"] == 1


def test_that_a_bad_deck_fails_with_the_cell_and_no_traceback(workspace, capsys, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Base"
    wb.active.append(["Benchmark", 2027, 2028])
    wb.active.append(["Brent", 70, 71])
    path = tmp_path / "nounit.xlsx"
    wb.save(path)
    rc, out, err = run(capsys, "deck", "import", str(path), "--workspace",
                       str(workspace.path))
    assert rc == 2 and out == ""
    assert "Base!A2: missing unit for benchmark 'Brent'" in err
    assert "Traceback" not in err


def test_that_asset_evaluate_prints_indicators_as_json(workspace, capsys):
    rc, out, _ = run(capsys, "asset", "evaluate", "Bravo field", "--workspace",
                     str(workspace.path), "--stochastic", "--iterations", "300", "--json")
    assert rc == 0
    d = json.loads(out)
    assert {"npv", "irr", "payback_years", "emv", "breakeven_price", "stochastic"} <= set(d)
    assert d["stochastic"]["iterations"] == 300
    assert d["audit_head"]["seq"] >= 1 and len(d["audit_head"]["hash"]) == 64


def test_that_asset_show_output_can_be_edited_and_saved_back(workspace, capsys, tmp_path):
    w = str(workspace.path)
    rc, out, _ = run(capsys, "asset", "show", "Bravo field", "--workspace", w, "--json")
    d = json.loads(out)
    d["name"] = "Bravo phase 2"
    d["uncertainty"]["reserves"] = {"dist": "pert", "min": 0.6, "mode": 1.0, "max": 1.2}
    f = tmp_path / "asset.json"
    f.write_text(json.dumps(d))
    rc, out, err = run(capsys, "asset", "save", str(f), "--workspace", w)
    assert rc == 0, err
    rc, out, _ = run(capsys, "asset", "list", "--workspace", w, "--json")
    assert json.loads(out) == ["Bravo field", "Bravo phase 2"]
    rc, out, _ = run(capsys, "asset", "evaluate", "Bravo phase 2", "--workspace", w, "--json")
    assert rc == 0 and json.loads(out)["deck"] == "Corporate 2027"


def test_that_an_approved_evaluation_refuses_a_draft_deck_and_says_why(workspace, capsys,
                                                                       tmp_path):
    w = str(workspace.path)
    f = tmp_path / "deck.xlsx"
    run(capsys, "deck", "export", "Corporate 2027", str(f), "--workspace", w)
    wb = openpyxl.load_workbook(f)
    ws = wb["Base"]
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, float | int)
                and not isinstance(c.value, bool) and c.row > 1 and c.column > 2)
    cell.value = float(cell.value) + 1.0
    wb.save(f)
    rc, _, err = run(capsys, "deck", "import", str(f), "--name", "Next deck", "--workspace", w)
    assert rc == 0, err
    rc, out, err = run(capsys, "asset", "evaluate", "Bravo field", "--deck", "Next deck",
                       "--approved", "--workspace", w)
    assert rc != 0 and "no approved version" in err and "Traceback" not in err
    rc, out, _ = run(capsys, "asset", "evaluate", "Bravo field", "--approved", "--workspace", w,
                     "--json")
    assert rc == 0 and json.loads(out)["deck_stage"] == "approved"


def test_that_asset_delete_removes_it_and_the_chain_still_verifies(workspace, capsys):
    w = str(workspace.path)
    rc, out, err = run(capsys, "asset", "delete", "Bravo field", "--workspace", w)
    assert rc == 0, err
    rc, out, _ = run(capsys, "asset", "list", "--workspace", w, "--json")
    assert json.loads(out) == []
    rc, out, err = run(capsys, "audit", "verify", "--workspace", w)
    assert rc == 0, out + err
    rc, _, err = run(capsys, "asset", "delete", "Bravo field", "--workspace", w)
    assert rc != 0 and "no asset named" in err


def test_that_deck_import_from_the_cli_takes_basis_and_escalation(workspace, capsys, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Base"
    ws.append(["Benchmark", "Unit", "2027", "2028"])
    ws.append(["Brent", "USD/bbl", 70, 72])
    path = tmp_path / "bare.xlsx"
    wb.save(path)
    w = str(workspace.path)
    assert main(["deck", "import", str(path), "--name", "Bare", "--basis", "real",
                 "--workspace", w]) != 0
    assert "base_year" in capsys.readouterr().err
    assert main(["deck", "import", str(path), "--name", "Bare", "--basis", "real",
                 "--base-year", "2026", "--escalation", "2%", "--workspace", w]) == 0
    capsys.readouterr()
    main(["deck", "show", "Bare", "--json", "--workspace", w])
    d = json.loads(capsys.readouterr().out)
    assert (d["basis"], d["base_year"], d["escalation"]) == ("real", 2026, 0.02)
