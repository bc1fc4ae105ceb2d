"""Personal data tab: the detector loads in the background after start-up (never while the main
window is built), scans work after it, and a policy YAML can be loaded, validated and used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from riskdesk.governance.pii import analyzer
from riskdesk.services.governance import GovernanceService
from riskdesk.services.pii import PiiService
from riskdesk.services.registry import RegistryService
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.panels.pii import PiiPanel

ROOT = Path(__file__).resolve().parents[2]

POLICY = """\
schema: riskdesk.pii-policy/1
name: board pack
version: "2026.12-board"
default: {action: redact, threshold: 0.5}
entities:
  PERSON: {action: redact, threshold: 0.55}
  PHONE_NUMBER: {action: redact, threshold: 0.5}
"""

START_UP = """
import sys, tempfile, pathlib
from PySide6.QtCore import QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication
QStandardPaths.setTestModeEnabled(True)  # never read or write the user's settings
from riskdesk.services.workspace import Workspace
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.state import AppState
app = QApplication([])
ws = Workspace.create(pathlib.Path(tempfile.mkdtemp()) / "w.riskdesk", demo=True)
win = MainWindow(AppState(ws))
win.show()
app.processEvents()
print("after show:", "presidio_analyzer" in sys.modules, "spacy" in sys.modules, flush=True)
from riskdesk.governance.pii import analyzer
def poll():
    if analyzer.is_warm():
        print("warm:", "presidio_analyzer" in sys.modules, flush=True)
        app.quit()
t = QTimer(); t.timeout.connect(poll); t.start(20)
QTimer.singleShot(60000, app.quit)
app.exec()
ws.close()
"""


def test_that_the_main_window_loads_the_detector_only_later_in_the_background(
        tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", START_UP], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert "after show: False False" in lines  # building and showing the window loads nothing
    assert "warm: True" in lines  # ... and the timer then loads it without being asked


@pytest.fixture
def window(qtbot, state):  # type: ignore[no-untyped-def]
    win = MainWindow(state)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    return win


def _tab(window) -> PiiPanel:  # type: ignore[no-untyped-def]
    tab = window.show_screen("audit").pii
    assert isinstance(tab, PiiPanel)
    return tab


def _scan(tab, qtbot):  # type: ignore[no-untyped-def]
    w = tab.scan()
    assert w is not None
    with qtbot.waitSignal(w.done, timeout=60000):
        pass
    return {(tab.table.item(i, 1).text(), tab.table.item(i, 5).text(),
             tab.table.item(i, 6).text()) for i in range(tab.table.rowCount())}


def test_that_after_the_background_warm_up_a_scan_finds_people_and_phones(
        window, state, qtbot) -> None:  # type: ignore[no-untyped-def]
    analyzer.start_background_warm_up()  # what the window's timer does two seconds in
    qtbot.waitUntil(analyzer.is_warm, timeout=60000)
    assert analyzer.warm_error is None
    svc = RegistryService(state.workspace)
    r = svc.draft().risks[0]
    svc.upsert_risk(r.with_(description="Landowner Tormod Vassbotn, tel +47 912 34 567."))
    tab = _tab(window)
    rows = _scan(tab, qtbot)
    assert {"PERSON", "PHONE_NUMBER"} <= {t for t, _a, _v in rows}
    assert "Scan " in tab.status.text() and "Vassbotn" not in tab.status.text()


def test_that_a_loaded_policy_is_stored_audited_and_used_by_scans_and_copies(
        window, state, qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "board.yaml"
    f.write_text(POLICY, encoding="utf-8")
    tab = _tab(window)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(f), "PII policy (*.yaml *.yml)")))
    tab.load_policy_btn.click()
    assert "2026.12-board" in tab.policy_label.text()
    assert "2026.12-board" in tab.policy_combo.currentText()
    pii = PiiService(state.workspace)
    assert pii.policy().version == "2026.12-board"
    actions = [r.action for r in GovernanceService(state.workspace).audit_rows()]
    assert "pii.policy" in actions and "pii.policy.use" in actions
    svc = RegistryService(state.workspace)
    r = svc.draft().risks[0]
    svc.upsert_risk(r.with_(description="Landowner Tormod Vassbotn, tel +47 912 34 567."))
    rows = _scan(tab, qtbot)
    assert ("PERSON", "redact", "2026.12-board") in rows  # the shipped policy tokenizes people
    w = tab.share_to(tmp_path / "shared.riskdesk")
    assert w is not None
    with qtbot.waitSignal(w.done, timeout=60000):
        pass
    assert "under policy 2026.12-board" in tab.status.text()
    assert b"[PERSON]" in (tmp_path / "shared.riskdesk").read_bytes()


def test_that_a_stored_version_can_be_chosen_again(window, state, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tab = _tab(window)
    default = PiiService(state.workspace).policy()
    f = tmp_path / "board.yaml"
    f.write_text(POLICY, encoding="utf-8")
    assert tab.load_policy_file(f)
    versions = [tab.policy_combo.itemText(i) for i in range(tab.policy_combo.count())]
    assert any(default.version in v for v in versions) and versions[0].startswith("2026.12")
    i = tab.policy_combo.findData(default.content_hash)
    tab.policy_combo.setCurrentIndex(i)
    tab.policy_combo.activated.emit(i)
    assert PiiService(state.workspace).policy().content_hash == default.content_hash
    assert default.version in tab.policy_label.text()


@pytest.mark.parametrize("text,where", [
    ("schema: riskdesk.pii-policy/1\nversion: '1'\nentities:\n  PERSON: {action: shred}\n",
     "bad.yaml:entities.PERSON.action"),
    ("schema: riskdesk.pii-policy/1\nversion: '1'\nentities:\n  PERSON: [unclosed\n",
     "line 4"),
])
def test_that_a_bad_policy_file_names_the_problem_and_changes_nothing(
        window, state, tmp_path, text, where) -> None:  # type: ignore[no-untyped-def]
    tab = _tab(window)
    pii = PiiService(state.workspace)
    before = (pii.policy().content_hash, len(pii.policies()),
              len(GovernanceService(state.workspace).audit_rows()))
    label = tab.policy_label.text()
    f = tmp_path / "bad.yaml"
    f.write_text(text, encoding="utf-8")
    assert not tab.load_policy_file(f)
    dlg = tab.problems_dialog
    assert dlg is not None and dlg.isVisible()
    found = " | ".join(str(p) for p in dlg.problems)
    assert "bad.yaml" in found and where in found
    assert "nothing changed" in tab.status.text()
    after = (pii.policy().content_hash, len(pii.policies()),
             len(GovernanceService(state.workspace).audit_rows()))
    assert after == before and tab.policy_label.text() == label
    dlg.close()


def test_that_the_warm_up_starts_once_and_reports_ready(qtbot) -> None:  # type: ignore[no-untyped-def]
    analyzer.start_background_warm_up()
    qtbot.waitUntil(analyzer.is_warm, timeout=60000)
    assert analyzer.start_background_warm_up() is None  # already loaded: no second thread
    assert set(analyzer.warm_timings) == {"import", "build", "first_analysis"}



def test_that_closing_the_window_while_a_copy_is_being_made_is_safe(
        window, state, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A Qt thread destroyed while it runs aborts the process: closing cancels the job if it has
    not begun writing, or waits for it; there is never a half-written copy."""
    from riskdesk import collector
    from riskdesk.services.workspace import Workspace

    tab = _tab(window)
    w = tab.share_to(tmp_path / "closing.riskdesk")
    assert w is not None and w.running
    window.close()  # the main window asks every screen to shut down
    assert not w.running and collector.holders() == 0
    out = tmp_path / "closing.riskdesk"
    if out.exists():  # it had begun: then it is whole
        Workspace.open(out).close()
        assert (tmp_path / "closing.riskdesk.share-report.json").exists()
