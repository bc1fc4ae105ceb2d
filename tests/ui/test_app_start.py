"""Starting the app on a workspace that cannot be opened offers another one instead of exiting."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from riskdesk.services.workspace import Workspace
from riskdesk.ui import app as app_module
from riskdesk.ui.main_window import MainWindow


def _click_later(text: str) -> None:
    def click() -> None:
        box = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QMessageBox) and w.isVisible())
        next(b for b in box.buttons() if b.text() == text).click()
    QTimer.singleShot(50, click)


def test_that_a_damaged_default_workspace_lets_the_user_open_another(qapp, monkeypatch,
                                                                     tmp_path):
    damaged = tmp_path / "default.riskdesk"
    damaged.write_bytes(b"this file was damaged")
    other = tmp_path / "other.riskdesk"
    Workspace.create(other).close()
    monkeypatch.setattr("riskdesk.paths.default_workspace", lambda: damaged)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    monkeypatch.setattr(QApplication, "exec", lambda *a: 0)
    _click_later("Open another…")
    assert app_module.run_app() == 0
    win = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)
               and w.isVisible())
    try:
        assert win.state.workspace.path == other
        assert damaged.read_bytes() == b"this file was damaged"
    finally:
        win.state.workspace.close()
        win.close()
        win.deleteLater()


def test_that_quit_leaves_the_damaged_file_alone(qapp, tmp_path: Path):
    damaged = tmp_path / "x.riskdesk"
    damaged.write_bytes(b"")
    _click_later("Quit")
    assert app_module.ask_another_workspace("x.riskdesk is damaged") is None
    assert damaged.read_bytes() == b""


def test_that_new_workspace_is_offered_when_the_file_cannot_be_opened(qapp, monkeypatch,
                                                                      tmp_path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "fresh"), ""))
    _click_later("New workspace…")
    assert app_module.ask_another_workspace("damaged") == tmp_path / "fresh.riskdesk"


def test_that_a_missing_workspace_file_is_created_only_when_the_user_agrees(qapp, monkeypatch,
                                                                            tmp_path):
    typo = tmp_path / "tpyo.riskdesk"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    _click_later("Quit")
    assert app_module.run_app(str(typo)) == 2
    assert not typo.exists()
