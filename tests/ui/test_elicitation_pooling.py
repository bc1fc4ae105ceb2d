"""Pooling on the Results tab runs in a background worker: the window stays usable, the scores
appear when it is done, it can be cancelled, and errors are shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from riskdesk.ui.panels.elicitation import ElicitationPanel

DATA = Path(__file__).resolve().parents[2] / "../shared/data/cooke"


@pytest.fixture
def results(qtbot, state):
    w = ElicitationPanel(state)
    qtbot.addWidget(w)
    w.show()
    w.import_files(str(DATA / "Topaz.dtt"), str(DATA / "Topaz.rls"))  # 21 experts
    w.table.selectRow(w.table.rowCount() - 1)
    w.open_results()
    res = w.results
    res.method.setCurrentIndex(res.method.findText("Cooke, item weights"))
    res.optimise.setChecked(True)
    yield res
    w.shutdown()


def test_that_pooling_a_large_panel_runs_in_a_worker_while_the_window_keeps_working(qtbot,
                                                                                    results):
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    worker = results.run()
    assert worker is not None and worker.running
    assert results.table.rowCount() == 0  # nothing computed on the GUI thread
    assert results.pool_button.text() == "Cancel" and results.pool_progress.isVisible()
    qtbot.waitUntil(lambda: results.table.rowCount() == 22, timeout=30000)  # 21 + DM
    timer.stop()
    assert ticks, "the event loop ran while the panel was pooled"
    assert "Decision maker: calibration" in results.message.text()
    qtbot.waitUntil(lambda: not worker.running, timeout=5000)
    assert results.pool_button.text() == "Pool" and not results.pool_progress.isVisible()
    assert results.outcome is not None and results.outcome.weights == "item"


def test_that_pressing_pool_again_cancels_and_keeps_no_result(qtbot, results):
    worker = results.run()
    assert worker is not None
    assert results.run() is None  # the button reads Cancel: this press cancels
    qtbot.waitUntil(lambda: not worker.running and results.pool_button.text() == "Pool",
                    timeout=30000)
    assert results.message.text() == "Pooling cancelled."
    assert results.outcome is None and results.table.rowCount() == 0


def test_that_a_pooling_error_from_the_worker_is_shown(qtbot, results):
    results.optimise.setChecked(False)
    results.alpha.setValue(0.99)  # no Topaz expert is that well calibrated
    worker = results.run()
    assert worker is not None
    qtbot.waitUntil(lambda: not worker.running and results.pool_button.text() == "Pool",
                    timeout=30000)
    assert "Cannot pool" in results.message.text()
    assert "every weight is zero" in results.message.text()
    assert results.outcome is None
