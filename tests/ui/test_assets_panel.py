"""The Assets screen on a real demo workspace (offscreen)."""

from __future__ import annotations

from riskdesk.ui.panels.assets import AssetsPanel


def test_that_the_demo_asset_shows_its_indicators_and_cash_flow(qtbot, state):
    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    assert panel.asset_box.currentText() == "Bravo field"
    assert panel.deck_box.currentText() == "Corporate 2027"
    labels = [panel.results.item(i, 0).text() for i in range(panel.results.rowCount())]
    assert labels[:3] == ["NPV @ 8%", "NPV @ 10%", "NPV @ 12%"]
    assert "mid-period" in panel.convention_label.text()
    ev = panel.last_evaluation
    assert ev is not None and ev["scenario"] == "Base"
    assert len(panel.cf_cum.getData()[0]) == 20


def test_that_changing_scenario_and_saving_inputs_re_evaluate(qtbot, state):
    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    base = panel.last_evaluation["npv"][0]["npv"]
    panel.scenario_box.setCurrentText("Low")
    low = panel.last_evaluation["npv"][0]["npv"]
    assert low < base
    panel.scenario_box.setCurrentText("Base")
    panel.royalty.setValue(0.2)
    panel.save_inputs()
    assert panel.last_evaluation["npv"][0]["npv"] < base
    assert panel.asset.fiscal.royalty == 0.2


def test_that_a_stochastic_run_reports_progress_and_percentiles(qtbot, state):
    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    panel.iterations.setValue(2000)
    seen = []
    panel.progress.valueChanged.connect(seen.append)
    panel.run_stochastic()
    qtbot.waitUntil(lambda: panel.worker is None, timeout=60000)
    assert panel.last_simulation is not None and seen[-1] == 2000
    assert panel.percentiles.item(0, 0).text() == "NPV @ 8%"
    assert panel.run_btn.isEnabled() and not panel.cancel_btn.isEnabled()
    assert sum(panel.last_simulation["npv_histogram"]["counts"]) == 2000
    assert "P(NPV &lt; 0)" in panel.hist_plot.getPlotItem().titleLabel.text


def test_that_a_stochastic_run_can_be_cancelled(qtbot, state):
    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    panel.iterations.setValue(400_000)
    panel.run_stochastic()
    panel.cancel()
    qtbot.waitUntil(lambda: panel.worker is None, timeout=60000)
    assert panel.status.text() == "Run cancelled"


def test_that_capex_rows_are_edited_in_the_table_and_bad_rows_are_refused(qtbot, state):
    from PySide6.QtWidgets import QTableWidgetItem

    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    last = panel.capex.rowCount() - 1  # the empty row for a new year
    panel.capex.setItem(last, 0, QTableWidgetItem("2030"))
    panel.capex.setItem(last, 1, QTableWidgetItem("1,000"))
    before = panel.last_evaluation["npv"][0]["npv"]
    panel.save_inputs()
    assert (2030, 1000.0) in panel.asset.capex
    assert panel.last_evaluation["npv"][0]["npv"] < before
    panel.capex.setItem(0, 1, QTableWidgetItem("lots"))
    panel.save_inputs()
    assert panel.status.text().startswith("Not saved: capex row 1")
    panel.capex.setItem(0, 0, QTableWidgetItem("2070"))
    panel.capex.setItem(0, 1, QTableWidgetItem("5"))
    panel.save_inputs()
    assert panel.status.text().startswith("Not saved: Bravo field.capex.2070")
    assert all(y != 2070 for y, _ in panel.service.get("Bravo field")[0].capex)


def test_that_the_screen_opens_on_a_workspace_without_assets(qtbot, empty_workspace):
    from riskdesk.ui.state import AppState

    panel = AssetsPanel(AppState(empty_workspace))
    qtbot.addWidget(panel)
    assert panel.asset_box.count() == 0 and "No asset" in panel.status.text()
    panel.run_stochastic()  # nothing to run: no worker, no crash
    assert panel.worker is None
