"""Registry screen: importing a file that was exported redacted warns before tokens replace the
original owners and text (JSON and Excel exports, real files written by the export)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from riskdesk.services.pii import PiiService, exported_redacted
from riskdesk.services.registry import RegistryService
from riskdesk.ui.panels.registry import RegistryPanel


@pytest.fixture
def panel(qtbot, state):  # type: ignore[no-untyped-def]
    p = RegistryPanel(state)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    return p


def _export(state, path: Path, reveal: str = "") -> Path:  # type: ignore[no-untyped-def]
    svc = PiiService(state.workspace)
    reg = RegistryService(state.workspace).draft()
    svc.export_registry(reg, path, reveal_reason=reveal)
    return path


def _warning(dlg) -> QLabel | None:  # type: ignore[no-untyped-def]
    return dlg.findChild(QLabel, "redactedWarning")


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_that_a_redacted_export_warns_and_cancel_keeps_the_draft(panel, state, tmp_path,
                                                                suffix):  # type: ignore[no-untyped-def]
    path = _export(state, tmp_path / f"shared{suffix}")
    assert exported_redacted(path)
    before = RegistryService(state.workspace).draft()
    dlg = panel.import_file(path)
    assert dlg is not None
    warn = _warning(dlg)
    assert warn is not None and not warn.isHidden()
    assert f"{path.name} was exported redacted" in warn.text() and "tokens" in warn.text()
    assert dlg.apply_button.text() == "Import tokens anyway" and not dlg.apply_button.isDefault()
    assert "NS-001" in dlg.preview.changed  # the owner became a token
    dlg.reject()
    after = RegistryService(state.workspace).draft()
    assert after.risk("NS-001").owner == before.risk("NS-001").owner == "Ingrid Halvorsen"


def test_that_going_on_imports_the_tokens_and_says_so(panel, state, tmp_path):  # type: ignore[no-untyped-def]
    path = _export(state, tmp_path / "shared.xlsx")
    messages: list[str] = []
    state.status_message.connect(messages.append)
    dlg = panel.import_file(path)
    assert dlg is not None and _warning(dlg) is not None
    dlg.accept()
    owner = RegistryService(state.workspace).draft().risk("NS-001").owner
    assert owner.startswith("[PERSON:")
    assert any("exported redacted" in m for m in messages)
    state.undo_stack.undo()
    assert RegistryService(state.workspace).draft().risk("NS-001").owner == "Ingrid Halvorsen"


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_that_an_export_with_original_text_imports_without_a_warning(panel, state, tmp_path,
                                                                    suffix):  # type: ignore[no-untyped-def]
    path = _export(state, tmp_path / f"orig{suffix}", reveal="round trip for editing")
    assert not exported_redacted(path)
    dlg = panel.import_file(path)
    assert dlg is not None and _warning(dlg) is None
    assert dlg.apply_button.text() == "Apply import"
    dlg.reject()
