"""The Qt binding in use keeps Python's reference counts straight (a long session must not abort)."""

from __future__ import annotations

import sys


def test_that_qt_calls_do_not_leak_or_steal_references_to_none(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem

    label = QLabel()
    table = QTableWidget(2, 2)
    before = sys.getrefcount(None)
    for i in range(2000):
        label.setText(str(i))
        table.setItem(0, 0, QTableWidgetItem("x"))
        qapp.processEvents()
    assert abs(sys.getrefcount(None) - before) < 50
