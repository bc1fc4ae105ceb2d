"""Start the desktop app on a workspace (the per-user default one unless given)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox


def run_app(workspace: str | None = None) -> int:
    from riskdesk.paths import default_workspace
    from riskdesk.services.workspace import Workspace, WorkspaceError
    from riskdesk.ui.main_window import MainWindow
    from riskdesk.ui.state import AppState

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("riskdesk")
    app.setOrganizationName("riskdesk")
    path = Path(workspace).expanduser() if workspace else default_workspace()
    try:
        ws = Workspace.open(path) if path.exists() else Workspace.create(path,
                                                                          demo=workspace is None)
    except WorkspaceError as e:
        QMessageBox.critical(None, "Cannot open workspace", str(e))
        return 2
    win = MainWindow(AppState(ws))
    win.show()
    return app.exec()
