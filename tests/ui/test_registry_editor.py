"""Risk editor: live preview of the impact distribution, inline problems, OK only when valid."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QDialogButtonBox

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.registry import Correlation
from riskdesk.domain.risk import Phasing, Risk
from riskdesk.ui.panels.risk_editor import RiskEditor


def _risk() -> Risk:
    return Risk("T-1", "Compressor trip", owner="Ingrid Halvorsen", business_unit="North Sea",
                probability=0.4, impact=Distribution("pert", {"min": -4200.0, "mode": -1800.0,
                                                              "max": -900.0}),
                affects="revenue", phasing=Phasing.window(3, 4))


@pytest.fixture
def editor(qtbot):  # type: ignore[no-untyped-def]
    ed = RiskEditor(_risk(), months=36, taken_ids={"T-1", "T-2"})
    qtbot.addWidget(ed)
    return ed


def _ok(ed: RiskEditor) -> bool:
    return ed.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def _curve(ed: RiskEditor) -> tuple[np.ndarray, np.ndarray]:
    x, y = ed.preview.pdf_curve.getData()
    return np.asarray(x), np.asarray(y)


def test_that_the_preview_shows_the_distribution_percentiles(editor):
    d = _risk().impact
    expected = d.ppf([0.1, 0.5, 0.9])
    assert editor.preview.percentiles == pytest.approx(tuple(expected), rel=1e-9)
    x, y = _curve(editor)
    # the drawn density is the PERT density on the plotted grid (independent evaluation)
    assert y == pytest.approx(d.pdf(x), rel=1e-12)
    assert [line.value() for line in editor.preview.lines[::2]] == pytest.approx(list(expected))


def test_that_the_preview_updates_when_parameters_change(editor):
    before = editor.preview.percentiles
    curve = editor.preview.pdf_curve
    editor.impact.edits["max"].setText("-100")
    assert editor.preview.pdf_curve is curve  # items are reused, only their data changes
    new = Distribution("pert", {"min": -4200.0, "mode": -1800.0, "max": -100.0})
    assert editor.preview.percentiles == pytest.approx(tuple(new.ppf([0.1, 0.5, 0.9])))
    assert editor.preview.percentiles != before
    assert "P50" in editor.preview.summary.text()


def test_that_switching_family_shows_its_fields_and_preview(editor):
    editor.impact.family.setCurrentIndex(editor.impact.family.findData("normal"))
    assert not editor.impact.edits["mean"].isHidden()
    assert editor.impact.edits["mode"].isHidden()
    editor.impact.edits["mean"].setText("-500")
    editor.impact.edits["sd"].setText("100")
    p10, p50, p90 = editor.preview.percentiles
    assert p50 == pytest.approx(-500)
    assert p90 - p50 == pytest.approx(1.2815515655 * 100, rel=1e-8)  # z_0.9 · sd
    assert editor.risk() is not None and editor.risk().impact.family == "normal"


@pytest.mark.parametrize(("field", "text", "needle"), [
    ("min", "-1000", "min -1000 > mode -1800"),
    ("max", "abc", "not a number"),
    ("max", "", "required"),
])
def test_that_invalid_parameters_show_the_problem_inline_and_disable_ok(editor, field, text,
                                                                        needle):
    editor.impact.edits[field].setText(text)
    assert not _ok(editor)
    assert editor.risk() is None
    assert needle in editor.problems_label.text()
    assert editor.impact.edits["mode" if "mode" in needle else field].styleSheet()
    assert editor.preview.percentiles is None
    editor.accept()
    assert editor.result() == 0  # not accepted while invalid
    editor.impact.edits[field].setText({"min": "-4200", "max": "-900"}[field])
    assert _ok(editor) and editor.problems_label.text() == ""


def test_that_probability_and_phasing_are_checked_against_the_horizon(editor):
    editor.probability.setText("140%")
    assert "outside 0-1" in editor.problems_label.text() and not _ok(editor)
    editor.probability.setText("40%")
    editor.start.setValue(40)
    assert "outside the plan horizon" in editor.problems_label.text() and not _ok(editor)
    editor.start.setValue(3)
    assert _ok(editor)


def test_that_a_taken_id_is_refused(editor):
    editor.id_edit.setText("T-2")
    assert "already used" in editor.problems_label.text() and not _ok(editor)


def test_that_a_qualitative_risk_needs_ratings_not_a_distribution(editor):
    editor.kind.setCurrentText("qualitative")
    assert not editor.quant.isEnabled()
    assert "likelihood" in editor.problems_label.text()
    editor.likelihood.setCurrentText("3")
    editor.severity.setCurrentText("4")
    r = editor.risk()
    assert r is not None and r.kind == "qualitative" and (r.likelihood, r.severity) == (3, 4)


def test_that_post_mitigation_and_profile_phasing_are_edited(editor):
    editor.has_post.setChecked(True)
    editor.post_probability.setText("0.2")
    editor.post_impact.edits["min"].setText("-2000")
    editor.post_impact.edits["mode"].setText("-900")
    editor.post_impact.edits["max"].setText("-400")
    editor.preview_which.setCurrentIndex(1)
    assert editor.preview.percentiles[1] == pytest.approx(
        float(Distribution("pert", {"min": -2000, "mode": -900, "max": -400}).ppf(0.5)))
    editor.phasing_type.setCurrentIndex(1)
    editor.profile.setText("3:1; 4:2; 5:1")
    editor.cost.setText("250")
    r = editor.risk()
    assert r is not None
    assert r.post_probability == pytest.approx(0.2) and r.post_impact.p("mode") == -900
    assert r.phasing == Phasing.profile([3, 4, 5], [1, 2, 1])
    assert r.mitigation_cost == 250


def test_that_correlations_that_break_positive_semi_definiteness_are_refused(qtbot):
    ed = RiskEditor(_risk(), correlation=Correlation(), quant_ids=["T-1", "B", "C"])
    qtbot.addWidget(ed)
    ed.set_pair("B", 0.9)
    assert _ok(ed) and ed.correlation().rho("T-1", "B") == pytest.approx(0.9)
    ed.set_pair("C", -0.9)  # B and C uncorrelated: eigenvalue 1 - 0.9·√2 < 0
    assert not _ok(ed)
    assert "not positive semi-definite" in ed.problems_label.text()
    ed.set_pair("C", -0.3)  # 1 - √(0.81 + 0.09) > 0
    assert _ok(ed)


def test_that_renaming_a_risk_carries_its_correlations(qtbot):
    corr = Correlation(pairs={("T-1", "B"): 0.3, ("B", "C"): 0.2})
    ed = RiskEditor(_risk(), correlation=corr, quant_ids=["T-1", "B", "C"])
    qtbot.addWidget(ed)
    assert ed.corr_table.rowCount() == 1
    ed.id_edit.setText("T-9")
    c = ed.correlation()
    assert c.rho("T-9", "B") == pytest.approx(0.3) and c.rho("B", "C") == pytest.approx(0.2)
    assert ("T-1", "B") not in c.pairs
