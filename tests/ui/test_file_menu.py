"""File ▸ New / Open / Save As / Open recent, driven with the dialogs answered by the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from riskdesk.services.registry import RegistryService
from riskdesk.services.workspace import Workspace
from riskdesk.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, state):  # type: ignore[no-untyped-def]
    w = MainWindow(state)
    qtbot.addWidget(w)
    return w


@pytest.fixture
def warnings(monkeypatch):  # type: ignore[no-untyped-def]
    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _p, title, text, *a, **k: seen.append(f"{title}: {text}"))
    return seen


def _answer_save(monkeypatch, path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def test_that_new_workspace_refuses_to_overwrite_the_open_one(window, state, monkeypatch,
                                                               warnings):
    RegistryService(state.workspace).freeze("keep me")
    _answer_save(monkeypatch, state.workspace.path)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.No)
    before = state.workspace
    window.new_workspace()
    assert state.workspace is before
    assert warnings and "open" in warnings[0]
    assert [v.comment for v in RegistryService(state.workspace).versions()][-1] == "keep me"


def test_that_new_workspace_replaces_an_existing_file_the_user_chose_to_overwrite(
        window, state, monkeypatch, tmp_path, warnings):
    old = tmp_path / "old.riskdesk"
    Workspace.create(old, demo=True).close()
    _answer_save(monkeypatch, old)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.No)
    window.new_workspace()
    assert not warnings
    assert state.workspace.path == old
    assert not RegistryService(state.workspace).exists()
    assert state.workspace.path.name in window.windowTitle()


def test_that_save_as_over_a_file_the_user_chose_to_overwrite_switches_to_the_copy(
        window, state, monkeypatch, tmp_path, warnings):
    dest = tmp_path / "other.riskdesk"
    dest.write_bytes(b"an older file the user agreed to replace")
    _answer_save(monkeypatch, dest)
    original = state.workspace.path
    window.save_as()
    assert not warnings
    assert state.workspace.path == dest
    assert RegistryService(state.workspace).exists()
    assert original.exists()


def test_that_save_as_onto_the_open_workspace_is_refused(window, state, monkeypatch, warnings):
    _answer_save(monkeypatch, state.workspace.path)
    before = state.workspace
    window.save_as()
    assert state.workspace is before
    assert warnings


@pytest.mark.parametrize("content", [b"not a database at all", b""])
def test_that_opening_a_bad_file_warns_and_keeps_the_current_workspace(
        window, state, tmp_path, warnings, content):
    bad = tmp_path / "bad.riskdesk"
    bad.write_bytes(content)
    before = state.workspace
    assert not window.open_path(bad)
    assert state.workspace is before
    assert warnings and "bad.riskdesk" in warnings[0]
    assert RegistryService(state.workspace).exists()


def test_that_open_recent_lists_workspaces_and_drops_ones_that_are_gone(
        window, state, tmp_path, warnings):
    first = state.workspace.path
    other = tmp_path / "other.riskdesk"
    Workspace.create(other).close()
    assert window.open_path(other)
    entries = [a.text() for a in window.recent_menu.actions()]
    assert str(other) in entries[0] and any(str(first) in e for e in entries[1:])
    gone = tmp_path / "gone.riskdesk"
    Workspace.create(gone).close()
    assert window.open_path(gone)
    assert window.open_path(other)
    gone.unlink()
    action = next(a for a in window.recent_menu.actions() if str(gone) in a.text())
    action.trigger()
    assert state.workspace.path == other
    assert warnings
    assert not any(str(gone) in a.text() for a in window.recent_menu.actions())


def test_that_the_window_remembers_its_geometry_and_last_screen(qtbot, state):  # type: ignore[no-untyped-def]
    w = MainWindow(state)
    qtbot.addWidget(w)
    w.show_screen("baseline")
    w.close()
    assert w._settings().value("geometry") is not None
    again = MainWindow(state)
    qtbot.addWidget(again)
    assert again.stack.currentWidget() is again.screen_for("baseline")


def test_that_help_lists_the_keyboard_shortcuts(window):
    text = window.shortcuts_text()
    for words in ("Undo", "Ctrl+1", "Copy / paste risks", "Next / previous expert"):
        assert words in text
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert any(a.shortcut().toString() == "F1" for a in help_menu.actions())
