"""``riskdesk elicit`` commands on a real workspace file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskdesk.cli import main

DATA = Path(__file__).resolve().parents[2] / "../shared/data/cooke"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_that_import_then_pool_prints_the_published_tobacco_scores(workspace, capsys):
    w = str(workspace.path)
    rc, out, _ = run(capsys, "elicit", "import-excalibur", str(DATA / "tobacco.dtt"),
                     str(DATA / "tobacco.rls"), "--workspace", w, "--json")
    assert rc == 0
    sid = json.loads(out)["session"]
    rc, out, _ = run(capsys, "elicit", "pool", str(sid), "--method", "cooke", "--optimise",
                     "--workspace", w, "--json")
    data = json.loads(out)
    assert set(data) == {"experts", "decision_maker"}
    assert set(data["experts"][0]) == {"id", "calibration", "information", "weight"}
    ex7 = next(e for e in data["experts"] if e["id"] == "Ex7")
    assert ex7["weight"] == 1.0
    dm = data["decision_maker"]
    assert dm["alpha"] == pytest.approx(0.6875868657, rel=1e-6)
    assert dm["combined"] == pytest.approx(0.7303390006, rel=1e-6)
    rc, out, _ = run(capsys, "elicit", "pool", str(sid), "--method", "cooke", "--workspace", w,
                     "--json")
    gl = json.loads(out)["decision_maker"]
    assert (gl["calibration"], gl["information"], gl["alpha"]) == pytest.approx(
        (0.6639059078, 0.5276742544, 0.0), rel=1e-6)


def test_that_fit_prints_the_closed_form_metalog(capsys):
    rc, out, _ = run(capsys, "elicit", "fit", "--quantiles", "0.1:10,0.5:20,0.9:50",
                     "--family", "metalog", "--json")
    assert rc == 0
    p = json.loads(out)["params"]
    assert [p["a1"], p["a2"], p["a3"]] == pytest.approx([20, 9.102392, 11.377990], abs=5e-7)


def test_that_bad_input_gives_a_clear_error_and_no_traceback(workspace, capsys):
    rc, _, err = run(capsys, "elicit", "fit", "--quantiles", "0.1:30,0.5:20,0.9:50")
    assert rc == 2 and "P50 = 20 must be above P10 = 30" in err
    rc, _, err = run(capsys, "elicit", "fit", "--quantiles", "0.1=30")
    assert rc == 2 and "expected LEVEL:VALUE" in err
    rc, _, err = run(capsys, "elicit", "pool", "99", "--workspace", str(workspace.path))
    assert rc == 2 and "no elicitation session 99" in err
    rc, _, err = run(capsys, "elicit", "import-excalibur", str(DATA / "tobacco.dtt"),
                     str(DATA / "missing.rls"), "--workspace", str(workspace.path))
    assert rc == 2 and "missing.rls" in err and "Traceback" not in err


def test_that_convert_gives_a_qualitative_risk_numbers(workspace, capsys):
    rc, out, _ = run(capsys, "elicit", "convert", "LNG-004", "--impact", "pert",
                     "--workspace", str(workspace.path), "--json")
    assert rc == 0
    risk = json.loads(out)
    assert risk["kind"] == "quantitative" and risk["source"] == "matrix:v1 L4/I2 pert"


def test_that_robustness_and_matrix_commands_print_json(workspace, capsys, tmp_path):
    w = str(workspace.path)
    _, out, _ = run(capsys, "elicit", "import-excalibur", str(DATA / "Arkansas.dtt"),
                    str(DATA / "Arkansas.rls"), "--workspace", w, "--json")
    sid = json.loads(out)["session"]
    rc, out, _ = run(capsys, "elicit", "robustness", str(sid), "--by", "experts",
                     "--workspace", w, "--json")
    assert rc == 0 and [r["removed"] for r in json.loads(out)] == ["AR01", "AR03", "AR06", "AR07"]
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps({"likelihood": [[0.5, 0.1]] * 5, "impact": {"*": [[1, 2]] * 5}}))
    rc, _, err = run(capsys, "elicit", "matrix", "--set", str(bad), "--workspace", w)
    assert rc == 2 and "likelihood[1]: band 0.5-0.1" in err
    rc, out, _ = run(capsys, "elicit", "matrix", "--workspace", w, "--json")
    assert json.loads(out)["version"] == "v1"


def test_that_a_three_point_estimate_gives_the_textbook_pert(capsys):
    rc, out, _ = run(capsys, "elicit", "fit", "--three-point", "10,20,50", "--json")
    data = json.loads(out)
    assert rc == 0 and data["family"] == "pert"
    assert (data["params"]["alpha"], data["params"]["beta"]) == pytest.approx((2, 4))
    assert data["distribution"] == {"dist": "pert", "min": 10.0, "mode": 20.0, "max": 50.0}
    rc, _, err = run(capsys, "elicit", "fit", "--three-point", "50,20,10")
    assert rc == 2 and "min 50 > mode 20" in err


def test_that_commands_without_a_workspace_still_accept_the_workspace_option(workspace, capsys,
                                                                             tmp_path):
    w = str(workspace.path)
    code, out, err = run(capsys, "elicit", "fit", "--quantiles", "0.1:10,0.5:20,0.9:50",
                         "--family", "metalog", "--workspace", w, "--json")
    assert code == 0 and json.loads(out)["params"]["a1"] == 20.0, err
    code, out, err = run(capsys, "registry", "template", str(tmp_path / "t.xlsx"),
                         "--workspace", w)
    assert code == 0 and (tmp_path / "t.xlsx").exists(), err


def test_that_pool_text_keeps_columns_aligned_for_long_expert_names(workspace, capsys):
    code, out, _ = run(capsys, "elicit", "pool", "1", "--workspace", str(workspace.path))
    assert code == 0
    lines = out.splitlines()
    starts = {line.index(line.split()[-3]) + len(line.split()[-3]) for line in lines[1:-1]}
    assert len(starts) == 1, out
