"""Creating, copying and deleting assets, editing any product and the uncertainty on the Assets
screen (offscreen, real demo workspace)."""

from __future__ import annotations

from riskdesk.domain.distributions import Distribution
from riskdesk.services.assets import AssetService
from riskdesk.services.governance import GovernanceService
from riskdesk.ui.panels.assets import AssetsPanel


def test_that_a_new_asset_starts_from_defaults_priced_on_the_selected_deck(qtbot, state):
    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    assert panel.new_asset("Charlie discovery")
    assert panel.asset_box.currentText() == "Charlie discovery"
    asset, deck = AssetService(state.workspace).get("Charlie discovery")
    assert deck == "Corporate 2027" and asset.products[0].benchmark == "Brent"
    assert asset.start_year == 2027 and asset.uncertainty.prices == ()
    assert panel.last_evaluation is not None and panel.last_evaluation["asset"] == \
        "Charlie discovery"
    assert not panel.new_asset("Charlie discovery")
    assert "already exists" in panel.status.text()
    assert GovernanceService(state.workspace).verify().issues == []


def test_that_copying_keeps_unsaved_inputs_and_leaves_the_original(qtbot, state):
    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    panel.royalty.setValue(0.15)
    assert panel.new_asset("Bravo high royalty", copy=True)
    svc = AssetService(state.workspace)
    assert svc.get("Bravo high royalty")[0].fiscal.royalty == 0.15
    assert svc.get("Bravo field")[0].fiscal.royalty == 0.08
    assert len(svc.get("Bravo high royalty")[0].products) == 2


def test_that_deleting_the_only_asset_leaves_a_usable_empty_screen(qtbot, state):
    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    assert panel.delete_asset(confirm=False)
    assert AssetService(state.workspace).names() == []
    assert "New asset" in panel.status.text()
    assert not panel.save_btn.isEnabled() and not panel.run_btn.isEnabled()
    panel.run_stochastic()  # nothing to run: no crash, no worker
    assert panel.worker is None
    assert panel.new_asset("Fresh")
    assert panel.save_btn.isEnabled()


def test_that_the_second_product_is_edited_and_saved(qtbot, state):
    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    panel.product_box.setCurrentIndex(1)
    assert panel.product_name.text() == "Gas" and panel.benchmark.currentText() == "Henry Hub"
    panel.rate.setValue(30000)
    panel.product_box.setCurrentIndex(0)  # switching keeps the edit
    assert panel.rate.value() == 40000
    panel.save_inputs()
    gas = AssetService(state.workspace).get("Bravo field")[0].products[1]
    assert gas.profile.rate == 30000


def test_that_uncertainty_ranges_and_price_processes_are_edited_in_the_gui(qtbot, state):
    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    ed = panel.uncertainty_editor
    ed.family["capex"].setCurrentText("triangular")
    ed.dists.item(2, 2).setText("0.95")
    ed.dists.item(2, 3).setText("1.05")
    ed.dists.item(2, 4).setText("1.6")
    ed.family["opex"].setCurrentText("none (fixed at 1)")
    ed.prices.item(0, 2).setText("0.45")
    ed.corr.item(0, 1).setText("0.7")
    assert ed.corr.item(1, 0).text() == "0.7"  # kept symmetric
    ed.prices.setCurrentCell(2, 0)
    ed.remove_process()  # Carbon
    assert ed.corr.rowCount() == 2
    panel.save_inputs()
    unc = AssetService(state.workspace).get("Bravo field")[0].uncertainty
    assert unc.capex == Distribution("triangular", {"min": 0.95, "mode": 1.05, "max": 1.6})
    assert unc.opex is None
    assert [(p.benchmark, p.volatility) for p in unc.prices] == [("Brent", 0.45),
                                                                ("Henry Hub", 0.4)]
    assert unc.price_correlation == ((1.0, 0.7), (0.7, 1.0))


def test_that_bad_uncertainty_cells_are_refused_naming_the_cell_and_nothing_is_saved(
        qtbot, state):
    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    before = AssetService(state.workspace).get("Bravo field")[0]
    ed = panel.uncertainty_editor
    ed.dists.item(0, 2).setText("low")
    panel.save_inputs()
    assert "reserves multiplier min" in panel.status.text()
    ed.dists.item(0, 2).setText("1.5")  # min above max
    panel.save_inputs()
    assert panel.status.text().startswith("Not saved") and "reserves" in panel.status.text()
    panel.rates_edit.setText("8, ten")
    ed.dists.item(0, 2).setText("0.7")
    panel.save_inputs()
    assert "discount rates" in panel.status.text()
    assert AssetService(state.workspace).get("Bravo field")[0] == before


def test_that_revert_discards_unsaved_edits(qtbot, state):
    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    panel.tax.setValue(0.5)
    panel.uncertainty_editor.prices.item(0, 2).setText("0.9")
    panel.revert_inputs()
    assert panel.tax.value() == 0.35
    assert panel.uncertainty_editor.prices.item(0, 2).text() == "0.3"


def test_that_the_approved_deck_is_used_by_default_and_a_draft_is_labelled(qtbot, state):
    from riskdesk.services.decks import DeckService

    svc = DeckService(state.workspace)
    svc.save(svc.deck("Corporate 2027").with_(escalation=0.03))  # v2, a draft
    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    assert panel.version_box.currentText() == "latest approved"
    assert panel.last_evaluation["deck_version"] == 1
    panel.version_box.setCurrentIndex(panel.version_box.findText("latest"))
    assert panel.last_evaluation["deck_version"] == 2
    assert "Draft" in panel.convention_label.text()


def test_that_an_approved_evaluation_is_refused_without_an_approved_deck(state):
    from riskdesk.domain.problems import ValidationError
    from riskdesk.services.decks import DeckService

    decks = DeckService(state.workspace)
    decks.save(decks.deck("Corporate 2027").with_(name="Draft deck"))
    svc = AssetService(state.workspace)
    try:
        svc.evaluate("Bravo field", "Draft deck", approved=True)
    except ValidationError as e:
        assert "no approved version" in str(e.problems[0])
    else:
        raise AssertionError("an unapproved deck was used for an approved evaluation")
    try:
        svc.evaluate("Bravo field", "Draft deck", 1, approved=True)
    except ValidationError as e:
        assert "v1 is draft, not approved" in str(e.problems[0])
    else:
        raise AssertionError("a draft deck version was accepted as approved")


def test_that_an_asset_can_be_created_in_a_workspace_without_decks(qtbot, empty_workspace):
    from riskdesk.ui.state import AppState

    panel = AssetsPanel(AppState(empty_workspace))
    qtbot.addWidget(panel)
    assert "New asset" in panel.status.text()
    assert panel.new_asset("First")
    assert AssetService(empty_workspace).names() == ["First"]
    assert "import one on the Price decks screen" in panel.status.text()


def test_that_scrolling_the_form_does_not_change_the_input_under_the_mouse(qtbot, state):
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    panel.show()
    before = panel.royalty.value()
    fam = panel.uncertainty_editor.family["capex"]
    fam_before = fam.currentText()
    model = panel.uncertainty_editor.prices.cellWidget(0, 1)
    for w in (panel.royalty, fam, model):
        ev = QWheelEvent(QPointF(5, 5), QPointF(5, 5), QPoint(0, 0), QPoint(0, -120),
                         Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                         Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(w, ev)
    assert panel.royalty.value() == before and fam.currentText() == fam_before
    assert model.currentText() == "ou"


def test_that_several_capex_years_can_be_added_before_saving(qtbot, state):
    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    n = panel.capex.rowCount()
    panel.capex.item(n - 1, 0).setText("2035")
    panel.capex.item(n - 1, 1).setText("80")
    assert panel.capex.rowCount() == n + 1
    panel.capex.item(n, 0).setText("2036")
    panel.capex.item(n, 1).setText("1,200.5")
    panel.save_inputs()
    capex = AssetService(state.workspace).get("Bravo field")[0].capex
    assert capex[-2:] == ((2035, 80.0), (2036, 1200.5))


def test_that_switching_asset_with_unsaved_edits_asks_and_can_cancel_save_or_discard(
        qtbot, state):
    svc = AssetService(state.workspace)
    svc.save(svc.get("Bravo field")[0].with_(name="Alpha"), "Corporate 2027")
    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    panel.asset_box.setCurrentText("Bravo field")
    asked: list[str] = []
    answers = iter(["cancel", "save", "discard"])

    def ask(name: str) -> str:
        asked.append(name)
        return next(answers)

    panel.ask_unsaved = ask
    assert not panel.has_unsaved_edits()
    panel.tax.setValue(0.4)
    assert panel.has_unsaved_edits()
    panel.asset_box.setCurrentText("Alpha")  # cancel: stays, edit kept
    assert panel.asset_box.currentText() == "Bravo field" and panel.tax.value() == 0.4
    panel.asset_box.setCurrentText("Alpha")  # save, then switch
    assert panel.asset_box.currentText() == "Alpha"
    assert svc.get("Bravo field")[0].fiscal.tax_rate == 0.4
    panel.tax.setValue(0.1)
    panel.asset_box.setCurrentText("Bravo field")  # discard
    assert svc.get("Alpha")[0].fiscal.tax_rate == 0.35 and panel.tax.value() == 0.4
    assert asked == ["Bravo field", "Bravo field", "Alpha"]


def test_that_a_deck_import_elsewhere_keeps_unsaved_edits(qtbot, state):
    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    panel.ask_unsaved = lambda name: "cancel"
    panel.royalty.setValue(0.2)
    state.decks_changed.emit()
    assert panel.royalty.value() == 0.2 and panel.has_unsaved_edits()


def test_that_the_tornado_chart_puts_the_widest_swing_on_top(qtbot, state):
    import pyqtgraph as pg

    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    ev = panel.last_evaluation
    bars = [i for i in panel.tornado_plot.items() if isinstance(i, pg.BarGraphItem)]
    assert len(bars) == 2  # P10 and P90 sides
    ticks = panel.tornado_plot.getAxis("left")._tickLevels[0]
    widest = max(ev["tornado"], key=lambda t: abs(t["npv_high"] - t["npv_low"]))
    top = max(ticks, key=lambda t: t[0])[1]
    assert top.startswith(widest["input"])
