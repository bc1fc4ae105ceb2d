"""Main window: every navigator screen opens and keyboard shortcuts reach the screens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from riskdesk.services.registry import RegistryService
from riskdesk.ui.main_window import SCREENS, MainWindow
from riskdesk.ui.placeholder import PlaceholderScreen


@pytest.fixture
def window(qtbot, state):  # type: ignore[no-untyped-def]
    w = MainWindow(state)
    qtbot.addWidget(w)
    return w


def _activate(w, qtbot) -> None:  # type: ignore[no-untyped-def]
    w.show()
    w.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)


def test_that_every_screen_is_real_and_opens_without_error(window):
    for key, title, target in SCREENS:
        assert not target.startswith("!"), f"{title} is still a placeholder"
        w = window.show_screen(key)
        assert window.stack.currentWidget() is w
        texts = " ".join(lbl.text() for lbl in w.findChildren(QLabel))
        assert "failed to open" not in texts, f"{title}: {texts}"
        assert not isinstance(w, PlaceholderScreen), title


def test_that_registry_versions_and_baseline_are_the_real_screens(window):
    from riskdesk.ui.panels.baseline import BaselinePanel
    from riskdesk.ui.panels.registry import RegistryPanel
    from riskdesk.ui.panels.versions import VersionsPanel

    assert isinstance(window.show_screen("registry"), RegistryPanel)
    assert isinstance(window.show_screen("versions"), VersionsPanel)
    assert isinstance(window.show_screen("baseline"), BaselinePanel)


def test_that_ctrl_n_on_the_registry_makes_a_new_risk_not_a_new_workspace(window, qtbot):
    _activate(window, qtbot)
    reg = window.show_screen("registry")
    reg.table.setFocus()
    qtbot.keyClick(reg.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert reg.editor is not None and reg.editor.windowTitle() == "New risk"
    reg.editor.reject()


def test_that_ctrl_z_in_the_window_undoes_a_registry_edit(window, state, qtbot):
    _activate(window, qtbot)
    reg = window.show_screen("registry")
    idx = reg.proxy.mapFromSource(reg.model.index(reg.model.row_of("NS-001"), 1))
    assert reg.proxy.setData(idx, "Renamed title")
    reg.table.setFocus()
    qtbot.keyClick(reg.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert RegistryService(state.workspace).risk("NS-001").title == \
        "Compressor trip on Alpha platform"


def test_that_the_narrowest_window_still_shows_every_screen_name(window, qtbot):
    window.resize(window.minimumSize())
    window.show()
    qtbot.waitExposed(window)
    metrics = window.nav.fontMetrics()
    for key, title, _ in SCREENS:  # wide screens (Audit, Assets) must not squeeze the navigator
        window.show_screen(key)
        qtbot.wait(20)
        for i in range(window.nav.count()):
            item = window.nav.item(i)
            need = metrics.horizontalAdvance(item.text()) + 20  # text and 10 px padding a side
            assert window.nav.viewport().width() >= need, (title, item.text())
