"""GUI tests: offscreen Qt, settings isolated, no thread left running."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_qsettings(qapp, tmp_path):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings, QStandardPaths

    QStandardPaths.setTestModeEnabled(True)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    yield


@pytest.fixture(autouse=True)
def _no_unexpected_modal_dialogs(qapp, monkeypatch):  # type: ignore[no-untyped-def]
    """A static modal dialog nobody answers would hang the suite: fail the test instead. Tests
    that expect one replace these with their own answers (monkeypatch after this fixture) or
    answer a real dialog from a timer; pytest-timeout catches anything else."""
    from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

    def refuse(kind: str):  # type: ignore[no-untyped-def]
        def _raise(*args, **kwargs):  # type: ignore[no-untyped-def]
            text = next((a for a in args[2:] if isinstance(a, str)), "")
            raise AssertionError(f"unexpected modal {kind}: {text[:300]}")
        return _raise

    for name in ("warning", "critical", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse(f"QMessageBox.{name}")))
    for name in ("getText", "getMultiLineText", "getInt", "getDouble", "getItem"):
        monkeypatch.setattr(QInputDialog, name, staticmethod(refuse(f"QInputDialog.{name}")))
    for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(refuse(f"QFileDialog.{name}")))
    yield


@pytest.fixture(autouse=True)
def _no_threads_left(qapp):  # type: ignore[no-untyped-def]
    import threading

    before = {t.ident for t in threading.enumerate()}
    yield
    leftover = [t for t in threading.enumerate() if t.ident not in before and t.is_alive()
                and not t.daemon]
    assert not leftover, f"test left threads running: {leftover}"


@pytest.fixture
def state(workspace):  # type: ignore[no-untyped-def]
    from riskdesk.ui.state import AppState

    return AppState(workspace)
