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
