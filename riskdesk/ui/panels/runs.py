"""The Runs screen: run a frozen registry version against a baseline in the background, watch the
fan chart fill in chunk by chunk, cancel within one chunk, and study stored runs (fan, histogram
and S-curve, tornado, convergence), exporting pictures and numbers. Run alone:
``python -m riskdesk.ui.panels.runs``. The chart side is in ``runs_charts``.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.baseline import month_label
from riskdesk.domain.problems import ValidationError
from riskdesk.services.baseline import BaselineService
from riskdesk.services.registry import RegistryService
from riskdesk.services.runs import RunsService, StoredRun
from riskdesk.ui.keys import bind_run_keys
from riskdesk.ui.panels.runs_charts import RunChartsMixin
from riskdesk.ui.state import AppState

LIVE_REDRAW_S = 0.25  # the live fan chart is redrawn at most this often while a run goes on
LIVE_TITLE = "live preview (approximate bands)"


class RunsPanel(RunChartsMixin, QWidget):
    """Run form, stored runs, and the charts of the selected (or running) run."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.worker: Any = None
        self.current: StoredRun | None = None
        self._live: dict[str, Any] | None = None
        self._pending: int | None = None
        self._repair_answer = False
        self._warmer: Any = None
        self._queued_run: bool | None = None  # a Run pressed while the engine was loading
        self._shut = False  # shut down: start no more background work
        self._latest: Any = None  # the newest progress not yet drawn
        self._drawn_at = 0.0
        self._draw_timer = QTimer(self)
        self._draw_timer.setSingleShot(True)
        self._draw_timer.timeout.connect(self._draw_latest)
        self._build()
        state.workspace_changed.connect(self.refresh)
        state.versions_changed.connect(self.refresh)
        state.decks_changed.connect(self._fill_decks)
        state.runs_changed.connect(self._reload_runs)
        self.refresh()
        QTimer.singleShot(300, self._warm_engine)

    # ---- loading the engine ahead of the first run -------------------------------------------
    def _warm_engine(self) -> None:
        """Load the engine's kernels in the background, so the first Run starts at once."""
        from riskdesk.engine.warmup import load_engine, loaded
        from riskdesk.ui.worker import GeneratorWorker

        if self._shut or loaded() or self._warmer is not None or self.worker is not None:
            return

        def gen() -> Any:
            return load_engine()
            yield  # a generator that only returns

        self._warmer = GeneratorWorker(gen, self, low_priority=True)
        self._warmer.failed.connect(lambda m: self.status.setText(f"engine not loaded: {m}"))
        self._warmer.done.connect(self._warmed)
        self._warmer.start()

    def _warmed(self) -> None:
        self._warmer = None
        if self._queued_run is not None:
            repair, self._queued_run = self._queued_run, None
            self.start_run(repair_correlation=repair)

    def shutdown(self) -> None:
        """Stop a run and wait for background work (closing the window or the workspace): a
        Qt thread must not be destroyed while it runs."""
        self._shut = True  # a warm-up timer still pending must not start a thread now
        self._queued_run = None
        for w in (self.worker, self._warmer):
            if w is not None:
                w.stop(300_000)  # loading may compile the kernels on a first start

    @property
    def engine_ready(self) -> bool:
        """True when no background loading of the engine is in progress."""
        return self._warmer is None

    # ---- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        form_box = QGroupBox("New run")
        form = QFormLayout(form_box)
        self.version = QComboBox()
        self.baseline = QComboBox()
        self.deck = QComboBox()
        self.deck.setToolTip("the price deck the plan was made under: recorded with the run for "
                             "lineage (it does not change the simulated numbers)")
        self.mitigation = QComboBox()
        self.mitigation.addItems(["pre-mitigation", "post-mitigation"])
        self.iterations = QSpinBox()
        self.iterations.setRange(1, 5_000_000)
        self.iterations.setSingleStep(10_000)
        self.iterations.setGroupSeparatorShown(True)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2_147_483_647)
        self.sampling = QComboBox()
        self.sampling.addItem("Latin Hypercube", "lhs")
        self.sampling.addItem("Monte Carlo", "mc")
        self.autostop = QDoubleSpinBox()
        self.autostop.setRange(0, 1e12)
        self.autostop.setDecimals(1)
        self.autostop.setSpecialValueText("off")
        self.autostop.setToolTip("stop early once the 95% confidence half-width of the P90 of "
                                 "the EBITDA total is below this (registry units)")
        for label, w in (("Registry version", self.version), ("Baseline", self.baseline),
                         ("Price deck", self.deck), ("Values", self.mitigation), ("Iterations", self.iterations),
                         ("Seed", self.seed), ("Sampling", self.sampling),
                         ("Auto-stop at P90 ±", self.autostop)):
            form.addRow(label, w)
        self.run_btn = QPushButton("Run")
        self.run_btn.setObjectName("runButton")
        self.cancel_btn = QPushButton("Cancel")
        self.cancel_btn.setEnabled(False)
        self.run_btn.clicked.connect(self.start_run)
        self.cancel_btn.clicked.connect(self.cancel_run)
        bind_run_keys(self, self.run_btn, self.cancel_btn)
        btns = QHBoxLayout()
        btns.addWidget(self.run_btn)
        btns.addWidget(self.cancel_btn)
        form.addRow(btns)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        form.addRow(self.progress)
        form.addRow(self.status)

        runs_box = QGroupBox("Stored runs")
        rl = QVBoxLayout(runs_box)
        self.runs = QTableWidget(0, 6)
        self.runs.setHorizontalHeaderLabels(["#", "registry", "baseline", "values", "iterations",
                                             "P50 EBITDA Δ"])
        self.runs.verticalHeader().setVisible(False)
        self.runs.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.runs.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.runs.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.runs.itemSelectionChanged.connect(self._run_selected)
        rl.addWidget(self.runs)
        self.verify_btn = QPushButton("Verify")
        self.verify_btn.setToolTip("re-run the selected run's manifest and compare bit for bit")
        self.compare_btn = QPushButton("Compare")
        self.compare_btn.setToolTip("select two runs: side by side, and a waterfall of what moved "
                                    "P50 and P90 (common random numbers)")
        self.verify_btn.clicked.connect(self.verify_selected)
        self.compare_btn.clicked.connect(self.compare_selected)
        rb = QHBoxLayout()
        rb.addWidget(self.verify_btn)
        rb.addWidget(self.compare_btn)
        rl.addLayout(rb)
        self.runs_note = QLabel("")
        self.runs_note.setWordWrap(True)
        rl.addWidget(self.runs_note)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(form_box)
        ll.addWidget(runs_box, 1)

        right = self._build_charts()

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([330, 900])
        lay = QVBoxLayout(self)
        lay.addWidget(split)

    # ---- inputs ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload registry and baseline versions and the stored runs."""
        if not self.state.has_workspace:
            return
        ws = self.state.workspace
        self.version.clear()
        self.baseline.clear()
        regs = RegistryService(ws)
        if regs.exists():
            for v in reversed(regs.versions()):
                self.version.addItem(f"v{v.number} · {v.stage} · {v.risks} risks"
                                     + (f" · {v.comment}" if v.comment else ""), v.number)
            if regs.versions():
                reg = regs.version()
                self.iterations.setValue(reg.iterations)
                self.seed.setValue(reg.seed)
        self.baseline.addItem("none (changes only)", None)
        bs = BaselineService(ws)
        if bs.exists():
            for v in reversed(bs.versions()):
                self.baseline.addItem(f"v{v.number} · {v.stage}"
                                      + (f" · {v.comment}" if v.comment else ""), v.number)
            if bs.versions():
                self.baseline.setCurrentIndex(1)
        self._fill_decks()
        self.run_btn.setEnabled(self.version.count() > 0)
        if self.version.count() == 0:
            self.status.setText("Freeze a registry version first (Versions screen).")
        self._reload_runs()

    def _fill_decks(self) -> None:
        """Every deck version, newest first; the newest approved version is preselected."""
        from riskdesk.services.decks import DeckService

        self.deck.clear()
        self.deck.addItem("none", None)
        pick = 0
        decks = DeckService(self.state.workspace)
        for name in decks.names():
            for v in reversed(decks.versions(name)):
                self.deck.addItem(f"{name} v{v.number} · {v.stage}", (name, v.number))
                if pick == 0 and v.stage == "approved":
                    pick = self.deck.count() - 1
        self.deck.setCurrentIndex(pick)

    def _reload_runs(self) -> None:
        runs = RunsService(self.state.workspace).list()
        self.runs.blockSignals(True)
        self.runs.setRowCount(len(runs))
        for r, info in enumerate(reversed(runs)):
            vals = [str(info.id), f"v{info.registry_version}",
                    f"v{info.baseline_version}" if info.baseline_version else "–",
                    "post" if info.post_mitigation else "pre", f"{info.iterations:,}",
                    f"{info.total['p50']:,.0f}"]
            for c, v in enumerate(vals):
                it = QTableWidgetItem(v)
                it.setData(Qt.ItemDataRole.UserRole, info.id)
                it.setToolTip(f"{info.registry_name} v{info.registry_version} · "
                              f"{info.created_at} · seed {info.seed} · {info.sampling}")
                self.runs.setItem(r, c, it)
        self.runs.resizeColumnsToContents()
        self.runs.blockSignals(False)

    # ---- running -----------------------------------------------------------------------------
    def start_run(self, repair_correlation: bool = False) -> None:
        """Start a run with the form's settings; ``repair_correlation`` is the user's consent to
        simulate with the nearest valid correlation matrix (recorded in the manifest)."""
        if self.worker is not None or self.version.count() == 0:
            return
        if self._warmer is not None:  # start as soon as the engine is loaded
            self._queued_run = repair_correlation
            self.status.setText("loading the engine; the run starts in a moment…")
            return
        from riskdesk.ui.worker import GeneratorWorker

        n = self.iterations.value()
        base_v = self.baseline.currentData()
        try:
            runs = RunsService(self.state.workspace)
            deck = self.deck.currentData()
            req = runs.request(
                version=self.version.currentData(), baseline_version=base_v,
                use_baseline=base_v is not None, iterations=n, seed=self.seed.value(),
                deck_name=deck[0] if deck else None, deck_version=deck[1] if deck else None,
                sampling=self.sampling.currentData(),
                post_mitigation=self.mitigation.currentIndex() == 1,
                chunk_size=int(min(65_536, max(2_048, n // 20))),
                repair_correlation=repair_correlation,
                auto_stop_halfwidth=self.autostop.value() or None)
        except ValidationError as e:
            QMessageBox.warning(self, "Cannot run", str(e))
            return
        self._live = {"labels": [month_label(req.registry.start, i)
                                 for i in range(req.registry.months)],
                      "units": req.registry.units}
        self.worker = GeneratorWorker(lambda: runs.start(req), self, low_priority=True)
        self._latest, self._drawn_at = None, 0.0
        self.worker.progress.connect(self._on_progress)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.worker.cancelled.connect(self._on_cancelled)
        self.worker.done.connect(self._on_done)
        self.run_btn.setEnabled(False)
        self.cancel_btn.setEnabled(True)
        self.progress.setValue(0)
        self.status.setText(f"running {n:,} iterations…")
        self.worker.start()

    def cancel_run(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.status.setText("cancelling after the current chunk…")

    def _on_progress(self, p: Any) -> None:
        self.progress.setValue(int(100 * p.done / p.total))
        self.status.setText(f"{p.done:,} of {p.total:,} paths · {p.elapsed:.1f} s")
        self._latest = p  # drawn now, or by the timer: at most one redraw per LIVE_REDRAW_S
        wait = LIVE_REDRAW_S - (time.perf_counter() - self._drawn_at)
        if wait <= 0:
            self._draw_latest()
        elif not self._draw_timer.isActive():
            self._draw_timer.start(int(1000 * wait) + 1)

    def _draw_latest(self) -> None:
        p, self._latest = self._latest, None
        if p is None or self.worker is None:
            return
        self._drawn_at = time.perf_counter()
        live = self._live or {}
        which = self.series.currentData()
        kind = self.view.currentText()
        b = getattr(p.preview[f"{which}_delta"], kind)
        base = None
        if self.basis.currentData() == "absolute" and which in p.preview:
            delta_mean = b["mean"]
            b = getattr(p.preview[which], kind)
            base = b["mean"] - delta_mean
        self.fan.set_bands(b, base, live.get("labels", []), live.get("units", ""), LIVE_TITLE)

    def _on_finished(self, info: Any) -> None:
        self.status.setText(f"run {info.id} stored · {info.iterations:,} iterations")
        self.progress.setValue(100)
        self.state.runs_changed.emit()
        self.state.notify(f"Run {info.id} finished")
        self._pending = info.id

    def _on_failed(self, msg: str) -> None:
        self.status.setText("run failed; nothing was stored")
        if "semi-definite" in msg:
            answer = QMessageBox.question(
                self, "Correlation matrix is not valid",
                msg + "\n\nRun with the nearest valid correlation matrix (Higham)? The "
                "registry version is not changed; the repair and the pairs it moved are recorded "
                "in the run's manifest. (To inspect or keep the repair, use the Correlation "
                "matrix tab.)")
            self._repair_answer = answer == QMessageBox.StandardButton.Yes
            return
        QMessageBox.warning(self, "Run failed", msg)

    def _on_cancelled(self) -> None:
        self.status.setText("cancelled; nothing was stored")

    def _on_done(self) -> None:
        self.worker = None
        self._latest = None
        self._draw_timer.stop()
        self.run_btn.setEnabled(self.version.count() > 0)
        self.cancel_btn.setEnabled(False)
        if self._pending is not None:
            self.select_run(self._pending)
            self._pending = None
        if self._repair_answer:
            self._repair_answer = False
            self.start_run(repair_correlation=True)

    # ---- showing a stored run ----------------------------------------------------------------
    def select_run(self, run_id: int) -> None:
        for r in range(self.runs.rowCount()):
            if self._row_run(r) == run_id:
                self.runs.selectRow(r)
                return

    def _row_run(self, row: int) -> int | None:
        item = self.runs.item(row, 0)
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def selected_runs(self) -> list[int]:
        rows = sorted(r.row() for r in self.runs.selectionModel().selectedRows())
        return [i for i in (self._row_run(r) for r in rows) if i is not None]

    def _background(self, make: Any, done: Any, busy: str) -> None:
        """Run ``make()`` (a plain call) in a worker thread; ``done(value)`` in the GUI thread."""
        from riskdesk.ui.worker import GeneratorWorker

        if self.worker is not None:
            return

        def gen() -> Any:
            yield None
            return make()

        self.worker = GeneratorWorker(gen, self)
        self.worker.finished.connect(done)
        self.worker.failed.connect(lambda m: QMessageBox.warning(self, "Failed", m))
        self.worker.done.connect(self._on_done)
        self.run_btn.setEnabled(False)
        self.runs_note.setText(busy)
        self.worker.start()

    def verify_selected(self) -> None:
        ids = self.selected_runs()
        if len(ids) != 1:
            self.runs_note.setText("select one run to verify")
            return
        svc = RunsService(self.state.workspace)
        self._background(lambda: svc.verify(ids[0]), self._verified,
                         f"verifying run {ids[0]}: re-running its manifest…")

    def _verified(self, rep: Any) -> None:
        self.runs_note.setText(
            f"run {rep.run_id}: " + ("identical, bit for bit" if rep.identical else
                                     f"DIFFERENT (max |Δ| {rep.max_abs_difference:.3g})")
            + f" · re-run on {rep.threads} threads")

    def compare_selected(self) -> None:
        ids = self.selected_runs()
        if len(ids) != 2:
            self.runs_note.setText("select two runs (Ctrl+click) to compare")
            return
        ids.sort()  # the older run is A
        svc = RunsService(self.state.workspace)
        self._background(lambda: svc.compare(ids[0], ids[1]), self._compared,
                         f"comparing runs {ids[0]} and {ids[1]} (re-simulating each change)…")

    def _compared(self, cmp: Any) -> None:
        self.runs_note.setText(f"compared runs {cmp.a.id} and {cmp.b.id}")
        from riskdesk.ui.charts.run_compare import CompareDialog

        self.compare_dialog = CompareDialog(cmp, self)
        self.compare_dialog.show()

    def _run_selected(self) -> None:
        rows = self.runs.selectionModel().selectedRows()
        if not rows:
            return
        run_id = self._row_run(rows[0].row())
        if run_id is None:
            return
        self.current = RunsService(self.state.workspace).load(run_id, with_totals=False)
        self._redraw()


if __name__ == "__main__":
    from riskdesk.ui.main_window import screen_main

    raise SystemExit(screen_main("runs"))
