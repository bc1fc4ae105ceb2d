"""App-wide state and signals: the open workspace, undo stack, change notifications."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from riskdesk.services.workspace import Workspace


class AppState(QObject):
    """Holds the open workspace; screens listen to its signals and never talk to each other."""

    workspace_changed = Signal()
    registry_changed = Signal()
    baseline_changed = Signal()
    versions_changed = Signal()
    runs_changed = Signal()
    decks_changed = Signal()
    elicitation_changed = Signal()
    audit_changed = Signal()
    status_message = Signal(str)

    def __init__(self, workspace: Workspace | None = None) -> None:
        super().__init__()
        self._workspace = workspace
        self.undo_stack = QUndoStack(self)
        for sig in (self.registry_changed, self.baseline_changed, self.versions_changed,
                    self.runs_changed, self.decks_changed, self.elicitation_changed):
            sig.connect(self.audit_changed)

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            raise RuntimeError("no workspace is open")
        return self._workspace

    @property
    def has_workspace(self) -> bool:
        return self._workspace is not None

    def set_workspace(self, ws: Workspace) -> None:
        old = self._workspace
        self._workspace = ws
        self.undo_stack.clear()
        self.workspace_changed.emit()
        if old is not None and old is not ws:
            old.close()

    def notify(self, message: str) -> None:
        self.status_message.emit(message)
