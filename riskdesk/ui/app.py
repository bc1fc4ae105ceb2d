"""Start the desktop app on a workspace (the per-user default one unless given)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox


def run_app(workspace: str | None = None) -> int:
    from riskdesk.paths import default_workspace
    from riskdesk.services.workspace import Workspace, WorkspaceError
    from riskdesk.ui.main_window import MainWindow
    from riskdesk.ui.state import AppState

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("riskdesk")
    app.setOrganizationName("riskdesk")
    path: Path | None = Path(workspace).expanduser() if workspace else default_workspace()
    demo = workspace is None
    if workspace and path is not None and not path.exists():  # a typo must not silently give an empty workspace
        create = QMessageBox.question(
            None, "New workspace", f"{path} does not exist. Create a new, empty workspace "
            "there?") == QMessageBox.StandardButton.Yes
        if not create:
            path = ask_another_workspace(f"{path} does not exist.")
            if path is None:
                return 2
    while True:
        assert path is not None
        try:
            ws = Workspace.open(path) if path.exists() else Workspace.create(path, demo=demo)
            break
        except WorkspaceError as e:
            path = ask_another_workspace(str(e))
            if path is None:
                return 2
            demo = False
    win = MainWindow(AppState(ws))
    win.show()
    return app.exec()


def ask_another_workspace(reason: str) -> Path | None:
    """The workspace could not be opened: say why, and let the user open another file or create
    a new one instead of leaving the app unreachable. None when they choose to quit."""
    box = QMessageBox(QMessageBox.Icon.Critical, "Cannot open workspace", reason)
    box.setInformativeText("Open another workspace, create a new one, or quit. The file above "
                           "is left as it is.")
    open_b = box.addButton("Open another…", QMessageBox.ButtonRole.AcceptRole)
    new_b = box.addButton("New workspace…", QMessageBox.ButtonRole.ActionRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if clicked is open_b:
        name, _ = QFileDialog.getOpenFileName(None, "Open workspace", "",
                                              "riskdesk workspaces (*.riskdesk);;All files (*)")
    elif clicked is new_b:
        name, _ = QFileDialog.getSaveFileName(None, "New workspace", "untitled.riskdesk",
                                              "riskdesk workspaces (*.riskdesk)")
        if name and not name.endswith(".riskdesk"):
            name += ".riskdesk"
        if name and Path(name).exists():
            for f in (Path(name), Path(name + "-wal"), Path(name + "-shm")):
                f.unlink(missing_ok=True)  # the save dialog asked before overwriting
    else:
        return None
    return Path(name) if name else ask_another_workspace(reason)
