"""Keyboard bindings shared by screens that run something in the background."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QWidget


class _FollowEnabled(QObject):
    """Keeps a shortcut enabled exactly while a button is: an idle Esc then still reaches
    editors and dialogs inside the screen (it cancels a cell edit, for instance)."""

    def __init__(self, button: QAbstractButton, shortcut: QShortcut) -> None:
        super().__init__(button)
        self._button, self._shortcut = button, shortcut
        shortcut.setEnabled(button.isEnabled())
        button.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.EnabledChange:
            self._shortcut.setEnabled(self._button.isEnabled())
        return False


def bind_run_keys(owner: QWidget, run: QAbstractButton, cancel: QAbstractButton) -> None:
    """F5 or Ctrl+Enter presses ``run`` and Esc presses ``cancel``, anywhere inside ``owner`` and
    only while the button is enabled; the buttons' tooltips name the keys."""
    for keys, button in (("F5", run), ("Ctrl+Return", run), ("Ctrl+Enter", run),
                         ("Escape", cancel)):
        sc = QShortcut(QKeySequence(keys), owner)
        sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        sc.activated.connect(button.click)
        _FollowEnabled(button, sc)
    run.setToolTip("Run (F5 or Ctrl+Enter)")
    cancel.setToolTip("Cancel the run at the next chunk (Esc)")
