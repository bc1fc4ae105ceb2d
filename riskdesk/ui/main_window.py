"""The main window: navigator, screens (created lazily), menus, status bar, recent files."""

from __future__ import annotations

import importlib
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from riskdesk.ui.placeholder import PlaceholderScreen
from riskdesk.ui.state import AppState

# (key, navigator title, "module:Class" or placeholder text starting with "!")
SCREENS: list[tuple[str, str, str]] = [
    ("registry", "Registry", "riskdesk.ui.panels.registry:RegistryPanel"),
    ("versions", "Versions", "riskdesk.ui.panels.versions:VersionsPanel"),
    ("baseline", "Baseline", "riskdesk.ui.panels.baseline:BaselinePanel"),
    ("elicitation", "Elicitation", "riskdesk.ui.panels.elicitation:ElicitationPanel"),
    ("decks", "Price decks", "riskdesk.ui.panels.decks:DecksPanel"),
    ("assets", "Assets", "riskdesk.ui.panels.assets:AssetsPanel"),
    ("runs", "Runs", "riskdesk.ui.panels.runs:RunsPanel"),
    ("audit", "Audit", "riskdesk.ui.panels.audit:AuditPanel"),
]

MAX_RECENT = 8


class MainWindow(QMainWindow):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._screens: dict[str, QWidget] = {}
        self.setMinimumSize(1000, 640)

        self.nav = QListWidget()
        self.nav.setObjectName("navigator")
        self.nav.setMaximumWidth(190)
        self.nav.setStyleSheet("QListWidget { font-size: 11pt; }"
                               "QListWidget::item { padding: 7px 10px; }")
        for key, title, _ in SCREENS:
            it = QListWidgetItem(title)
            it.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(it)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.ensurePolished()  # the 11 pt style sheet font, for measuring the titles
        longest = max(self.nav.fontMetrics().horizontalAdvance(t) for _, t, _ in SCREENS)
        self.nav.setMinimumWidth(min(190, longest + 2 * 10 + 2 * self.nav.frameWidth() + 8))
        self.stack = QStackedWidget()
        split = QSplitter()
        split.addWidget(self.nav)
        split.addWidget(self.stack)
        split.setCollapsible(0, False)  # a narrow window must not cut the screen names off
        split.setStretchFactor(1, 1)
        split.setSizes([170, 1100])  # without this the splitter leaves a blank gap by the nav
        self.setCentralWidget(split)
        self.nav.currentRowChanged.connect(self._show_row)

        self._ws_label = QLabel()
        self.statusBar().addPermanentWidget(self._ws_label)
        state.status_message.connect(lambda m: self.statusBar().showMessage(m, 6000))
        state.workspace_changed.connect(self._on_workspace_changed)
        self._build_menus()
        self._restore_settings()
        self._on_workspace_changed()
        self.nav.setCurrentRow(self._first_row)
        from riskdesk.ui.panels.pii import schedule_warm_up

        schedule_warm_up(self)  # PII detector loads in a background thread once the loop runs

    # ---- screens ----------------------------------------------------------------------------
    def screen_for(self, key: str) -> QWidget:
        """The screen for ``key``, created on first use."""
        if key not in self._screens:
            title, target = next((t, s) for k, t, s in SCREENS if k == key)
            w: QWidget
            if target.startswith("!"):
                w = PlaceholderScreen(title, target[1:])
            else:
                mod, cls = target.split(":")
                try:
                    w = getattr(importlib.import_module(mod), cls)(self.state)
                except Exception as e:  # a broken screen must not take the app down
                    w = PlaceholderScreen(title, f"This screen failed to open: {e}")
            w.setObjectName(f"screen_{key}")
            self._screens[key] = w
            self.stack.addWidget(w)
        return self._screens[key]

    def show_screen(self, key: str) -> QWidget:
        for i in range(self.nav.count()):
            if self.nav.item(i).data(Qt.ItemDataRole.UserRole) == key:
                self.nav.setCurrentRow(i)
        return self.screen_for(key)

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        key = self.nav.item(row).data(Qt.ItemDataRole.UserRole)
        self.stack.setCurrentWidget(self.screen_for(key))

    # ---- menus ------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        mb = self.menuBar()
        f = mb.addMenu("&File")
        # Ctrl+N belongs to the screens (new risk, ...); a workspace is created less often
        self._act(f, "&New workspace…", self.new_workspace, QKeySequence("Ctrl+Shift+N"))
        self._act(f, "&Open workspace…", self.open_workspace_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = f.addMenu("Open &recent")
        self._act(f, "Save &as…", self.save_as, QKeySequence.StandardKey.SaveAs)
        f.addSeparator()
        self._act(f, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        e = mb.addMenu("&Edit")
        undo = self.state.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.state.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        e.addAction(undo)
        e.addAction(redo)
        v = mb.addMenu("&View")
        for i, (_key, title, _) in enumerate(SCREENS):
            a = self._act(v, title, lambda _=False, r=i: self.nav.setCurrentRow(r))
            if i < 9:
                a.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
        h = mb.addMenu("&Help")
        self._act(h, "&Keyboard shortcuts", self.show_shortcuts, QKeySequence("F1"))
        self._act(h, "&About riskdesk", self._about)
        self._refresh_recent()

    def _act(self, menu, text, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcut(shortcut)
        a.triggered.connect(slot)
        menu.addAction(a)
        return a

    def shortcuts_text(self) -> str:
        """The keyboard shortcuts of the window and its screens, as an HTML table."""
        def key(k: QKeySequence.StandardKey) -> str:
            return QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText)

        std = QKeySequence.StandardKey
        rows = [(f"Ctrl+Shift+N / {key(std.Open)} / {key(std.SaveAs)}", "New / open / save a "
                 "copy of the workspace"),
                (f"{key(std.Undo)} / {key(std.Redo)}", "Undo / redo the last change"),
                ("Ctrl+1 … Ctrl+8", "Go to a screen (" + ", ".join(t for _k, t, _s in SCREENS)
                 + ")"),
                ("Registry: Ctrl+N, Enter, Del", "New risk, edit the selected risk, delete"),
                ("Registry: Ctrl+C / Ctrl+V", "Copy / paste risks as Excel rows"),
                ("Registry: Ctrl+F", "Search"), ("Registry: F2 or typing", "Edit a cell"),
                ("Elicitation form: Enter, Tab", "Next quantile, next field"),
                ("Elicitation form: PgDn / PgUp", "Next / previous question"),
                ("Elicitation form: Ctrl+PgDn / Ctrl+PgUp", "Next / previous expert"),
                ("Elicitation form: Ctrl+P, Esc", "Pause the session, discard an unsaved "
                 "answer"),
                ("Runs, Assets: F5 or Ctrl+Enter, Esc", "Run the simulation, cancel it")]
        body = "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in rows)
        return f"<table>{body}</table>"

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, "Keyboard shortcuts", self.shortcuts_text())

    def _about(self) -> None:
        from riskdesk import __version__

        QMessageBox.about(self, "About riskdesk", f"<b>riskdesk {__version__}</b><br>"
                          "Probabilistic risk and asset-economics modelling, fully offline.")

    # ---- workspace files --------------------------------------------------------------------
    def _on_workspace_changed(self) -> None:
        if not self.state.has_workspace:
            return
        p = self.state.workspace.path
        self.setWindowTitle(f"{p.name} — riskdesk")
        self._ws_label.setText(str(p))
        self._add_recent(p)

    def open_path(self, path: str | Path) -> bool:
        from riskdesk.services.workspace import Workspace, WorkspaceError

        try:
            ws = Workspace.open(path)
        except WorkspaceError as e:
            QMessageBox.warning(self, "Cannot open workspace", str(e))
            if not Path(path).exists():  # a recent entry whose file was moved or deleted
                self._forget_recent(Path(path))
            return False
        self.state.set_workspace(ws)
        self.state.notify(f"Opened {Path(path).name}")
        return True

    def open_workspace_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open workspace", "",
                                              "riskdesk workspaces (*.riskdesk);;All files (*)")
        if path:
            self.open_path(path)

    def new_workspace(self) -> None:
        from riskdesk.services.workspace import Workspace, WorkspaceError

        path, _ = QFileDialog.getSaveFileName(self, "New workspace", "untitled.riskdesk",
                                              "riskdesk workspaces (*.riskdesk)")
        if not path:
            return
        if not path.endswith(".riskdesk"):
            path += ".riskdesk"
        p = Path(path)
        if self._is_open_workspace(p):
            QMessageBox.warning(self, "Cannot create workspace", f"{p.name} is the open "
                                "workspace; choose another file name for the new one.")
            return
        demo = QMessageBox.question(self, "New workspace", "Fill the new workspace with demo "
                                    "content?") == QMessageBox.StandardButton.Yes
        try:
            _remove_database(p)  # the file dialog has asked before overwriting it
            ws = Workspace.create(p, demo=demo)
        except (WorkspaceError, OSError) as e:
            QMessageBox.warning(self, "Cannot create workspace", str(e))
            return
        self.state.set_workspace(ws)

    def save_as(self) -> None:
        from riskdesk.services.workspace import WorkspaceError

        path, _ = QFileDialog.getSaveFileName(self, "Save workspace as", "",
                                              "riskdesk workspaces (*.riskdesk)")
        if not path:
            return
        if not path.endswith(".riskdesk"):
            path += ".riskdesk"
        if self._is_open_workspace(Path(path)):
            QMessageBox.warning(self, "Cannot save", f"{Path(path).name} is the open "
                                "workspace; choose another file name for the copy.")
            return
        try:
            _remove_database(Path(path))  # the file dialog has asked before overwriting it
            dest = self.state.workspace.save_as(path)
        except (WorkspaceError, OSError) as e:
            QMessageBox.warning(self, "Cannot save", str(e))
            return
        self.open_path(dest)

    def _is_open_workspace(self, p: Path) -> bool:
        if not self.state.has_workspace:
            return False
        return p.expanduser().resolve() == self.state.workspace.path.expanduser().resolve()

    # ---- settings ---------------------------------------------------------------------------
    def _settings(self) -> QSettings:
        return QSettings("riskdesk", "riskdesk")

    def _recent(self) -> list[str]:
        v = self._settings().value("recent", [])
        return [str(x) for x in (v if isinstance(v, list) else [v] if v else [])]

    def _add_recent(self, p: Path) -> None:
        items = [str(p)] + [x for x in self._recent() if x != str(p)]
        self._settings().setValue("recent", items[:MAX_RECENT])
        self._refresh_recent()

    def _forget_recent(self, p: Path) -> None:
        self._settings().setValue("recent", [x for x in self._recent() if x != str(p)])
        self._refresh_recent()

    def _refresh_recent(self) -> None:
        if not hasattr(self, "recent_menu"):
            return
        self.recent_menu.clear()
        for i, path in enumerate(self._recent()):
            a = self.recent_menu.addAction(f"&{i + 1} {path}")
            a.triggered.connect(lambda _=False, x=path: self.open_path(x))
        self.recent_menu.setEnabled(bool(self._recent()))

    def _restore_settings(self) -> None:
        s = self._settings()
        geo = s.value("geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        else:
            self.resize(1280, 800)
        st = s.value("windowState")
        if st is not None:
            self.restoreState(st)
        keys = [k for k, _t, _s in SCREENS]
        last = s.value("screen")
        self._first_row = keys.index(last) if last in keys else 0

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        s = self._settings()
        s.setValue("geometry", self.saveGeometry())
        s.setValue("windowState", self.saveState())
        row = self.nav.currentRow()
        if row >= 0:
            s.setValue("screen", self.nav.item(row).data(Qt.ItemDataRole.UserRole))
        for w in self._screens.values():
            stop = getattr(w, "shutdown", None)
            if callable(stop):
                stop()
        super().closeEvent(event)


def _remove_database(p: Path) -> None:
    """Delete a database file and its WAL side files (a stale -wal would corrupt a new file)."""
    for f in (p, p.with_name(p.name + "-wal"), p.with_name(p.name + "-shm")):
        f.unlink(missing_ok=True)


def screen_main(key: str) -> int:
    """Open one screen alone on a demo workspace in a temporary folder (for quick iteration)."""
    import sys
    import tempfile

    from riskdesk.services.workspace import Workspace

    app = QApplication.instance() or QApplication(sys.argv)
    tmp = Path(tempfile.mkdtemp()) / "demo.riskdesk"
    state = AppState(Workspace.create(tmp, demo=True))
    win = MainWindow(state)
    win.show_screen(key)
    win.show()
    return app.exec()
