"""A screen that says what will come here, without pretending to work."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderScreen(QWidget):
    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        head = QLabel(f"<h2>{title}</h2>")
        body = QLabel(text + "<br><br><i>Not available in this version yet.</i>")
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(head)
        lay.addWidget(body)
        lay.addStretch(1)
