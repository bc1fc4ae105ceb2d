"""The Assets screen: inputs of an asset, its deterministic results (indicators with their
conventions, tornado, annual cash-flow chart) and a stochastic run in a background worker with
progress and cancel (NPV/IRR percentiles, fan of annual net cash flow).
Run alone: ``python -m riskdesk.ui.panels.assets``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.asset import Asset
from riskdesk.domain.problems import ValidationError
from riskdesk.domain.registry import STAGE_LABELS
from riskdesk.services.decks import DeckService
from riskdesk.ui.panels.assets_inputs import AssetInputsMixin
from riskdesk.ui.panels.assets_results import PREPARING, AssetResultsMixin, fill_rows
from riskdesk.ui.state import AppState
from riskdesk.ui.worker import GeneratorWorker

__all__ = ["PREPARING", "AssetsPanel"]


class AssetsPanel(AssetInputsMixin, AssetResultsMixin, QWidget):
    """Inputs on the left (:mod:`.assets_inputs`); deterministic and stochastic results on the
    right (:mod:`.assets_results`); selection and the asset's life cycle here. ``shutdown()``
    cancels a running simulation and waits for it."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.asset: Asset | None = None
        self.worker: GeneratorWorker | None = None
        self.run_total = 0  # paths of the running simulation
        self.last_evaluation: dict[str, Any] | None = None
        self.last_simulation: dict[str, Any] | None = None
        self._loaded: Asset | None = None  # the form as loaded/saved, to see unsaved edits
        #: asked when unsaved edits would be lost: returns 'save', 'discard' or 'cancel'
        self.ask_unsaved = self._ask_unsaved
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.asset_box, self.deck_box, self.scenario_box = QComboBox(), QComboBox(), QComboBox()
        self.version_box = QComboBox()
        self.version_box.setToolTip("Deck version to evaluate against; 'latest approved' is what "
                                    "an approved evaluation must use")
        for label, w in (("Asset:", self.asset_box), ("Deck:", self.deck_box),
                         ("Version:", self.version_box), ("Scenario:", self.scenario_box)):
            top.addWidget(QLabel(label))
            top.addWidget(w)
        self.new_btn = QPushButton("New asset…")
        self.new_btn.setToolTip("A new asset with default inputs, priced on the selected deck")
        self.new_btn.clicked.connect(lambda: self.new_asset(copy=False))
        self.copy_btn = QPushButton("Copy asset…")
        self.copy_btn.setToolTip("A new asset with the inputs shown (saved or not)")
        self.copy_btn.clicked.connect(lambda: self.new_asset(copy=True))
        self.delete_btn = QPushButton("Delete asset")
        self.delete_btn.clicked.connect(lambda: self.delete_asset())
        top.addSpacing(12)
        for b in (self.new_btn, self.copy_btn, self.delete_btn):
            top.addWidget(b)
        top.addStretch(1)
        lay.addLayout(top)
        split = QSplitter()
        split.addWidget(self._build_inputs())
        split.addWidget(self._build_results())
        split.setStretchFactor(1, 1)
        split.setSizes([430, 900])
        lay.addWidget(split, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.asset_box.currentTextChanged.connect(self._asset_selected)
        self.deck_box.currentTextChanged.connect(self._deck_selected)
        self.scenario_box.currentTextChanged.connect(lambda _: self.evaluate())
        self.version_box.currentIndexChanged.connect(lambda _: self.evaluate())
        state.decks_changed.connect(self.refresh)
        state.workspace_changed.connect(self.shutdown)  # a run on the old file stops first
        state.workspace_changed.connect(self.refresh)
        self.refresh()

    # ---- selection --------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.state.has_workspace:
            return
        keep_a, keep_d = self.asset_box.currentText(), self.deck_box.currentText()
        for box, items in ((self.asset_box, self.service.names()),
                           (self.deck_box, DeckService(self.state.workspace).names())):
            box.blockSignals(True)
            box.clear()
            box.addItems(items)
            box.blockSignals(False)
        if keep_d:
            self.deck_box.setCurrentText(keep_d)
        if keep_a:
            self.asset_box.setCurrentText(keep_a)
        self._asset_selected(self.asset_box.currentText())

    def _asset_selected(self, name: str) -> None:
        for w in (self.copy_btn, self.delete_btn, self.save_btn, self.revert_btn,
                  self.run_btn):
            w.setEnabled(bool(name))
        if self.asset is not None and self.has_unsaved_edits():
            if name == self.asset.name:  # the same asset shown again (e.g. a deck import)
                self._deck_selected(self.deck_box.currentText())
                return
            choice = self.ask_unsaved(self.asset.name)
            if choice == "cancel" or (choice == "save" and not self.save_inputs()):
                self.asset_box.blockSignals(True)
                self.asset_box.setCurrentText(self.asset.name)
                self.asset_box.blockSignals(False)
                return
        if not name:
            self.asset = None
            self._loaded = None
            self.status.setText("No asset in this workspace: create one with New asset….")
            fill_rows(self.results, [])
            fill_rows(self.tornado, [])
            return
        self.asset, deck = self.service.get(name)
        self._load_inputs(self.asset)
        if deck and deck in [self.deck_box.itemText(i) for i in range(self.deck_box.count())]:
            self.deck_box.blockSignals(True)
            self.deck_box.setCurrentText(deck)
            self.deck_box.blockSignals(False)
        self.iterations.setValue(self.asset.uncertainty.iterations)
        self.seed.setValue(self.asset.uncertainty.seed)
        self._deck_selected(self.deck_box.currentText())
        self._mark_clean()

    def _deck_selected(self, deck: str) -> None:
        self.scenario_box.blockSignals(True)
        self.scenario_box.clear()
        self._fill_versions(deck)
        if deck:
            d = DeckService(self.state.workspace).deck(deck)
            self.scenario_box.addItems(d.scenarios)
            keep = self.benchmark.currentText()
            self.benchmark.clear()
            self.benchmark.addItems(list(dict.fromkeys(s.benchmark for s in d.series)))
            self.benchmark.setCurrentText(keep)
            if self.asset and self.asset.deck_scenario in [
                    self.scenario_box.itemText(i) for i in range(self.scenario_box.count())]:
                self.scenario_box.setCurrentText(self.asset.deck_scenario)
        self.scenario_box.blockSignals(False)
        self.evaluate()

    def _fill_versions(self, deck: str) -> None:
        """Latest approved (the default when there is one), latest, then every version."""
        keep = self.version_box.currentData()
        self.version_box.blockSignals(True)
        self.version_box.clear()
        if deck:
            infos = DeckService(self.state.workspace).versions(deck)
            if any(v.stage == "approved" for v in infos):
                self.version_box.addItem("latest approved", ("approved", None))
            self.version_box.addItem("latest", ("latest", None))
            for v in reversed(infos):
                self.version_box.addItem(f"v{v.number} — {STAGE_LABELS[v.stage]}",
                                         ("version", v.number))
            i = self.version_box.findData(keep) if keep is not None else -1
            self.version_box.setCurrentIndex(max(i, 0))
        self.version_box.blockSignals(False)

    def save_inputs(self) -> bool:
        """Save the form over the shown asset (audited); False with the reason when refused."""
        if self.asset is None:
            return False
        try:
            self.service.save(self.asset_from_inputs(), self.deck_box.currentText())
        except ValidationError as e:
            self.status.setText("Not saved: " + "; ".join(str(p) for p in e.problems))
            return False
        except ValueError as e:
            self.status.setText(f"Not saved: {e}")
            return False
        self.state.audit_changed.emit()
        self.asset = self.service.get(self.asset.name)[0]
        self._mark_clean()
        if self.asset.name == self.asset_box.currentText():
            self.evaluate()
        self.state.notify(f"Saved asset {self.asset.name!r}")
        return True

    def _mark_clean(self) -> None:
        try:
            self._loaded = self.asset_from_inputs() if self.asset else None
        except ValueError:
            self._loaded = None

    def has_unsaved_edits(self) -> bool:
        """True when the form differs from the asset as loaded or last saved."""
        if self.asset is None or getattr(self, "_loaded", None) is None:
            return False
        try:
            return self.asset_from_inputs() != self._loaded
        except ValueError:
            return True  # a cell that is not a number is an edit too

    def _ask_unsaved(self, name: str) -> str:
        """'save', 'discard' or 'cancel' for unsaved edits of asset ``name``."""
        b = QMessageBox.StandardButton
        r = QMessageBox.question(self, "Unsaved inputs", f"Save the changes to {name!r}?",
                                 b.Save | b.Discard | b.Cancel, b.Save)
        return {b.Save: "save", b.Discard: "discard"}.get(r, "cancel")

    def revert_inputs(self) -> None:
        """Discard unsaved edits: show the asset as last saved."""
        if self.asset is not None:
            self._load_inputs(self.asset)
            self.iterations.setValue(self.asset.uncertainty.iterations)
            self.seed.setValue(self.asset.uncertainty.seed)
            self._mark_clean()
            self.status.setText("Unsaved edits discarded")

    def new_asset(self, name: str | None = None, copy: bool = False) -> bool:
        """Create an asset (defaults priced on the selected deck, or a copy of the inputs
        shown), save it and select it. Asks for the name when ``name`` is None."""
        if copy and self.asset is None:
            return False
        if not copy and self.has_unsaved_edits() and self.asset is not None:
            choice = self.ask_unsaved(self.asset.name)
            if choice == "cancel" or (choice == "save" and not self.save_inputs()):
                return False
            self._loaded = None  # discarded (or saved): nothing left to ask about
        if name is None:
            suggested = f"{self.asset.name} copy" if copy and self.asset else ""
            name, ok = QInputDialog.getText(self, "Copy asset" if copy else "New asset",
                                            "Asset name:", text=suggested)
            if not ok:
                return False
        deck = self.deck_box.currentText()
        try:
            if copy:
                self.service.template(name, "")  # checks the name only
                asset = self.asset_from_inputs().with_(name=name.strip())
            else:
                asset = self.service.template(name, deck)
            self.service.save(asset, deck)
        except ValidationError as e:
            self.status.setText("Not created: " + "; ".join(str(p) for p in e.problems))
            return False
        except ValueError as e:
            self.status.setText(f"Not created: {e}")
            return False
        self.state.audit_changed.emit()
        self._loaded = None  # the edits went into the new asset; the original keeps its saved state
        self.refresh()
        self.asset_box.setCurrentText(asset.name)
        self.state.notify(f"Created asset {asset.name!r}")
        return True

    def delete_asset(self, confirm: bool = True) -> bool:
        """Delete the selected asset after a confirmation (the audit log keeps its
        definition)."""
        name = self.asset_box.currentText()
        if not name:
            return False
        if confirm and QMessageBox.question(
                self, "Delete asset", f"Delete asset {name!r}? Its last definition stays in "
                "the audit log.") != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.service.delete(name)
        except ValidationError as e:
            self.status.setText("Not deleted: " + "; ".join(str(p) for p in e.problems))
            return False
        self.state.audit_changed.emit()
        self.asset = None
        self.asset_box.setCurrentIndex(-1)
        self.refresh()
        self.state.notify(f"Deleted asset {name!r}")
        return True

if __name__ == "__main__":
    from riskdesk.ui.main_window import screen_main

    raise SystemExit(screen_main("assets"))
