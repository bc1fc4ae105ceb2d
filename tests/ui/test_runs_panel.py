"""The Runs screen: run in the background with progress, cancel, charts of a stored run."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import QEvent, QObject

from riskdesk.services.runs import RunsService


@pytest.fixture
def panel(qtbot, state):  # type: ignore[no-untyped-def]
    from riskdesk.ui.panels.runs import RunsPanel

    p = RunsPanel(state)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    yield p
    p.shutdown()


def test_that_a_run_shows_progress_and_is_stored_and_drawn(qtbot, panel, state):
    panel.iterations.setValue(20_000)
    seen = []
    panel.start_run()
    panel.worker.progress.connect(lambda p: seen.append(p.done))
    with qtbot.waitSignal(state.runs_changed, timeout=60_000):
        pass
    qtbot.waitUntil(lambda: panel.worker is None, timeout=30_000)
    assert seen and seen[-1] == 20_000 and panel.progress.value() == 100
    runs = RunsService(state.workspace).list()
    assert len(runs) == 1 and panel.current is not None and panel.current.info.id == runs[0].id
    headers, rows = panel.fan.table()
    assert headers[:4] == ["month", "P10", "P25", "P50"] and len(rows) == 36
    assert "P50" in panel.summary.text()


def test_that_cancel_stops_the_run_and_stores_nothing(qtbot, panel, state):
    panel.iterations.setValue(3_000_000)
    panel.start_run()
    qtbot.waitUntil(lambda: panel.progress.value() > 0, timeout=60_000)
    panel.cancel_btn.click()
    qtbot.waitUntil(lambda: panel.worker is None, timeout=30_000)
    assert "cancelled" in panel.status.text() and panel.progress.value() < 100
    assert RunsService(state.workspace).list() == []
    assert panel.run_btn.isEnabled()


def test_that_chart_numbers_export_to_excel_and_csv(qtbot, panel, state, tmp_path):
    runs = RunsService(state.workspace)
    info = runs.run(runs.request(iterations=2048))
    panel._reload_runs()
    panel.select_run(info.id)
    panel.tabs.setCurrentWidget(panel.tornado)
    panel.export_numbers(str(tmp_path / "tornado.xlsx"))
    ws = openpyxl.load_workbook(tmp_path / "tornado.xlsx").active
    values = [r for r in ws.iter_rows(values_only=True)]
    assert ("risk", "variance share", "P50 off", "P50 on", "swing") in values
    panel.tabs.setCurrentWidget(panel.dist)
    panel.export_numbers(str(tmp_path / "dist.csv"))
    text = (tmp_path / "dist.csv").read_text()
    assert text.startswith("# run") and "bin from" in text
    from riskdesk.ui.charts.run_charts import export_image

    export_image(panel.dist, str(tmp_path / "dist.png"))
    export_image(panel.fan, str(tmp_path / "fan.svg"))
    assert (tmp_path / "dist.png").stat().st_size > 1000
    assert "<svg" in (tmp_path / "fan.svg").read_text()[:500]


def test_that_runs_can_be_verified_and_compared_from_the_screen(qtbot, panel, state):
    from PySide6.QtCore import QItemSelectionModel

    runs = RunsService(state.workspace)
    a = runs.run(runs.request(iterations=2048, seed=1, use_baseline=False))
    b = runs.run(runs.request(iterations=2048, seed=1, use_baseline=False,
                              post_mitigation=True))
    panel._reload_runs()
    panel.select_run(a.id)
    panel.verify_btn.click()
    qtbot.waitUntil(lambda: panel.worker is None, timeout=60_000)
    assert f"run {a.id}: identical, bit for bit" in panel.runs_note.text()
    sel = panel.runs.selectionModel()
    for r in range(panel.runs.rowCount()):
        sel.select(panel.runs.model().index(r, 0), QItemSelectionModel.SelectionFlag.Select
                   | QItemSelectionModel.SelectionFlag.Rows)
    assert sorted(panel.selected_runs()) == sorted([a.id, b.id])
    panel.compare_btn.click()
    qtbot.waitUntil(lambda: panel.worker is None, timeout=60_000)
    dlg = panel.compare_dialog
    qtbot.addWidget(dlg)
    assert dlg.steps.item(0, 0).text() == "run A"
    assert dlg.steps.item(dlg.steps.rowCount() - 1, 0).text() == "post-mitigation values"
    dlg.close()


def test_that_an_invalid_correlation_runs_only_after_consent_to_repair(qtbot, panel, state,
                                                                      monkeypatch):
    from dataclasses import replace

    from PySide6.QtWidgets import QMessageBox

    from riskdesk.services.registry import RegistryService

    regs = RegistryService(state.workspace)
    draft = regs.draft()
    ids = [r.id for r in draft.quantitative()][:3]
    corr = draft.correlation.with_pair(ids[0], ids[1], 0.9).with_pair(ids[1], ids[2], 0.9)
    regs.set_correlation(replace(corr.with_pair(ids[0], ids[2], -0.9)))
    regs.freeze("invalid correlations")
    panel.refresh()
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or answers.pop(0))
    panel.iterations.setValue(2048)
    panel.start_run()
    qtbot.waitUntil(lambda: panel.worker is None, timeout=60_000)
    assert "semi-definite" in asked[0] and RunsService(state.workspace).list() == []
    panel.start_run()  # this time the user agrees
    qtbot.waitUntil(lambda: bool(RunsService(state.workspace).list()), timeout=60_000)
    qtbot.waitUntil(lambda: panel.worker is None, timeout=60_000)
    run = RunsService(state.workspace).list()[0]
    manifest = RunsService(state.workspace).load(run.id).manifest
    assert manifest["correlation"]["repair"]["min_eig_before"] < 0


def test_that_a_run_pressed_while_the_engine_loads_starts_once_it_is_loaded(
        qtbot, panel, state, monkeypatch):
    import riskdesk.engine.warmup as warmup

    monkeypatch.setattr(warmup, "_loaded", False)  # as in a fresh start of the app
    panel._warm_engine()
    assert not panel.engine_ready
    panel.iterations.setValue(2048)
    panel.start_run()
    assert panel.worker is None and "loading the engine" in panel.status.text()
    with qtbot.waitSignal(state.runs_changed, timeout=120_000):
        pass
    qtbot.waitUntil(lambda: panel.worker is None and panel.engine_ready, timeout=30_000)
    assert warmup.loaded() and len(RunsService(state.workspace).list()) == 1


def test_that_the_live_fan_chart_is_redrawn_at_most_every_quarter_second(qtbot, panel, state):
    import time

    from riskdesk.ui.panels.runs import LIVE_REDRAW_S

    drawn: list[float] = []
    draw = panel.fan.set_bands

    def counting(*args):  # type: ignore[no-untyped-def]
        drawn.append(time.perf_counter())
        draw(*args)

    panel.fan.set_bands = counting
    panel.iterations.setValue(60_000)
    panel.start_run()
    seen: list[int] = []
    panel.worker.progress.connect(lambda p: seen.append(p.done))
    qtbot.waitUntil(lambda: panel.worker is None, timeout=120_000)
    live = drawn[:-1]  # the last draw is the stored run's chart
    assert len(seen) >= 20 and 1 <= len(live) < len(seen)
    gaps = [b - a for a, b in zip(live, live[1:], strict=False)]
    assert all(g >= 0.9 * LIVE_REDRAW_S for g in gaps), gaps


def test_that_the_run_form_records_the_chosen_price_deck(qtbot, panel, state):
    from riskdesk.services.decks import DeckService

    decks = DeckService(state.workspace)
    name = decks.names()[0]
    items = [panel.deck.itemText(i) for i in range(panel.deck.count())]
    assert items[0] == "none" and any(t.startswith(f"{name} v") for t in items[1:])
    panel.deck.setCurrentIndex(1)
    panel.iterations.setValue(2048)
    panel.start_run()
    qtbot.waitUntil(lambda: panel.worker is None, timeout=120_000)
    (run,) = RunsService(state.workspace).list()
    deck = RunsService(state.workspace).load(run.id).manifest["price_deck"]
    assert (deck["name"], deck["version"]) == panel.deck.itemData(1)


def test_that_the_chart_bar_offers_only_the_options_of_the_chart_shown(qtbot, panel):
    panel.show()
    qtbot.waitExposed(panel)
    shown = {"fan": {panel.series, panel.view, panel.basis}, "dist": {panel.series},
             "tornado": {panel.tornado_metric, panel.topn}, "conv": {panel.series},
             "correlation": set()}
    options = {panel.series, panel.view, panel.basis, panel.tornado_metric, panel.topn}
    for tab, name in ((panel.fan, "fan"), (panel.dist, "dist"), (panel.tornado, "tornado"),
                      (panel.conv, "conv"), (panel.correlation, "correlation")):
        panel.tabs.setCurrentWidget(tab)
        assert {w for w in options if w.isVisible()} == shown[name], name
        assert panel.export_pic.isEnabled() == (name != "correlation")


def test_that_f5_runs_and_esc_cancels_and_an_idle_esc_still_ends_a_cell_edit(qtbot, panel,
                                                                             state):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QLineEdit

    panel.activateWindow()
    panel.iterations.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5_000)
    panel.iterations.setValue(3_000_000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: panel.worker is not None and panel.progress.value() > 0,
                    timeout=60_000)
    qtbot.keyClick(QApplication.focusWidget() or panel, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: panel.worker is None, timeout=30_000)
    assert "cancelled" in panel.status.text() and RunsService(state.workspace).list() == []

    # idle: Esc belongs to whatever has the focus, e.g. an open cell editor of the matrix
    panel.tabs.setCurrentWidget(panel.correlation)
    editor = QLineEdit(panel.correlation)
    editor.show()
    editor.setFocus()
    qtbot.waitUntil(lambda: editor.hasFocus(), timeout=5_000)
    seen: list[int] = []
    editor.installEventFilter(_KeyRecorder(seen, editor))
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert seen == [int(Qt.Key.Key_Escape)]


class _KeyRecorder(QObject):
    """An event filter recording the key presses that reach a widget."""

    def __init__(self, seen: list[int], parent: QObject) -> None:
        super().__init__(parent)
        self.seen = seen

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            self.seen.append(event.key())  # type: ignore[attr-defined]
        return False


def test_that_a_screen_shut_down_before_its_warm_up_starts_no_thread(qtbot, state,
                                                                     monkeypatch):
    """The window closed within the first 300 ms: the pending warm-up must not start a thread
    that would then be destroyed while it runs (which aborts the process)."""
    from riskdesk.engine import warmup
    from riskdesk.ui.panels.runs import RunsPanel

    monkeypatch.setattr(warmup, "_loaded", False)  # as in a fresh process
    p = RunsPanel(state)
    qtbot.addWidget(p)
    p.show()
    p.shutdown()
    qtbot.wait(600)  # past the warm-up timer
    try:
        assert p._warmer is None and p.worker is None
    finally:
        p.shutdown()
