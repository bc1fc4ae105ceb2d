"""The Assets screen's stochastic run happens wholly in its worker (kernel loading included),
keeps the window responsive, and stops when the screen shuts down."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QTimer

import riskdesk.economics.stochastic as stochastic
from riskdesk.ui.panels.assets import AssetsPanel


def test_that_the_kernels_load_in_the_worker_while_the_window_keeps_working(qtbot, state,
                                                                           monkeypatch):
    loaded_on = []
    real = stochastic.warm_up

    def spy() -> None:
        loaded_on.append(threading.current_thread())
        real()

    monkeypatch.setattr(stochastic, "warm_up", spy)
    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    panel.iterations.setValue(20_000)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    panel.run_stochastic()
    assert loaded_on == []  # nothing loaded on the GUI thread before the worker starts
    assert panel.worker is not None and "Preparing" in panel.status.text()
    qtbot.waitUntil(lambda: panel.worker is None, timeout=120000)
    timer.stop()
    assert len(loaded_on) == 1 and loaded_on[0] is not threading.main_thread()
    assert ticks, "the event loop ran during the run"
    assert panel.last_simulation is not None and panel.last_simulation["iterations"] == 20_000
    assert panel.progress.maximum() == 20_000 and panel.progress.value() == 20_000
    assert gc.isenabled()  # the collector paused for the worker is back on


def test_that_shutdown_cancels_the_run_and_waits_for_its_thread(qtbot, state):
    panel = AssetsPanel(state)
    qtbot.addWidget(panel)
    panel.iterations.setValue(1_000_000)
    panel.run_stochastic()
    worker = panel.worker
    assert worker is not None
    panel.shutdown()
    assert not worker.running  # the thread has ended when shutdown returns
    qtbot.waitUntil(lambda: panel.worker is None, timeout=10000)
    assert panel.status.text() == "Run cancelled" and panel.last_simulation is None
    assert panel.run_btn.isEnabled() and gc.isenabled()
