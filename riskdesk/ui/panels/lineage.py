"""Lineage: pick a run to see the registry, baseline and deck versions it simulated with their
approvals and the elicitation sessions behind its parameters; pick a risk to see the frozen
versions holding it, the elicitations applied to it and the runs that used it.

Shown as a tab of the Audit screen; run alone: ``python -m riskdesk.ui.panels.lineage``.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from riskdesk.services import lineage
from riskdesk.ui.state import AppState


def _tips(tree: QTreeWidget) -> None:
    """Full text as tooltip, since hashes and timestamps are long."""
    stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        it = stack.pop()
        if it is None:
            continue
        for c in (0, 1):
            it.setToolTip(c, it.text(c))
        stack += [it.child(i) for i in range(it.childCount())]


def _tree() -> QTreeWidget:
    t = QTreeWidget()
    t.setHeaderLabels(["Item", "Detail"])
    t.setColumnWidth(0, 300)
    t.setAlternatingRowColors(True)
    return t


class LineagePanel(QWidget):
    """Run → inputs and approvals; risk → versions, elicitations and runs."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.run_box = QComboBox()
        self.run_box.setObjectName("lineageRun")
        self.run_box.currentIndexChanged.connect(self.show_run)
        self.run_tree = _tree()
        self.risk_box = QComboBox()
        self.risk_box.setObjectName("lineageRisk")
        self.risk_box.currentIndexChanged.connect(self.show_risk)
        self.risk_tree = _tree()

        g1 = QGroupBox("From a run")
        l1 = QVBoxLayout(g1)
        r1 = QHBoxLayout()
        r1.addWidget(QLabel("Run:"))
        r1.addWidget(self.run_box, 1)
        l1.addLayout(r1)
        l1.addWidget(self.run_tree)
        g2 = QGroupBox("From a risk")
        l2 = QVBoxLayout(g2)
        r2 = QHBoxLayout()
        r2.addWidget(QLabel("Risk:"))
        r2.addWidget(self.risk_box, 1)
        l2.addLayout(r2)
        l2.addWidget(self.risk_tree)
        lay = QHBoxLayout(self)
        lay.addWidget(g1, 1)
        lay.addWidget(g2, 1)

        for sig in (state.workspace_changed, state.runs_changed, state.registry_changed,
                    state.versions_changed):
            sig.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        if not self.state.has_workspace:
            return
        from riskdesk.services.registry import RegistryService

        ws = self.state.workspace
        keep_run, keep_risk = self.run_box.currentData(), self.risk_box.currentData()
        for box in (self.run_box, self.risk_box):
            box.blockSignals(True)
            box.clear()
        for r in lineage.runs(ws):
            self.run_box.addItem(f"Run {r['id']} · {r['label'] or r['registry']} · "
                                 f"{r['created_at'][:16].replace('T', ' ')}", r["id"])
        svc = RegistryService(ws)
        ids = [r.id for r in svc.draft().risks] if svc.exists() else []
        for rid in ids:
            self.risk_box.addItem(rid, rid)
        for box, keep in ((self.run_box, keep_run), (self.risk_box, keep_risk)):
            box.setCurrentIndex(max(0, box.findData(keep)))
            box.blockSignals(False)
        self.show_run()
        self.show_risk()

    def show_run(self) -> None:
        self.run_tree.clear()
        rid = self.run_box.currentData()
        if rid is None:
            QTreeWidgetItem(self.run_tree, ["No runs in this workspace yet", ""])
            return
        lin = lineage.run_lineage(self.state.workspace, int(rid))
        top = QTreeWidgetItem(self.run_tree, [f"Run {lin.run_id} {lin.label}",
                                              f"{lin.created_at} by {lin.created_by}"])
        inputs = QTreeWidgetItem(top, ["Inputs", f"{len(lin.inputs)} versions"])
        for v in lin.inputs:
            it = QTreeWidgetItem(inputs, [v.label, f"{v.stage} · {v.hash[:19]}"])
            for a in v.approvals:
                QTreeWidgetItem(it, [f"{a['from']} → {a['to']}",
                                     f"{a['who']} at {a['at']} {a['comment']}".strip()])
        el = QTreeWidgetItem(top, ["Elicitation sessions", f"{len(lin.elicitations)} results"])
        for e in lin.elicitations:
            QTreeWidgetItem(el, [f"{e['session']} → {e['risk_id']}.{e['parameter']}",
                                 f"{e['method']}, applied {e['applied_at']} by "
                                 f"{e['applied_by']}"])
        QTreeWidgetItem(top, ["Risks simulated", ", ".join(lin.risks)])
        self.run_tree.expandAll()
        _tips(self.run_tree)

    def show_risk(self) -> None:
        self.risk_tree.clear()
        rid = self.risk_box.currentData()
        if rid is None:
            return
        d = lineage.risk_lineage(self.state.workspace, str(rid))
        vs = QTreeWidgetItem(self.risk_tree, ["Registry versions", str(len(d["registry_versions"]))])
        for v in d["registry_versions"]:
            QTreeWidgetItem(vs, [f"{v['registry']} #{v['number']}", v["stage"]])
        el = QTreeWidgetItem(self.risk_tree, ["Elicitations applied", str(len(d["elicitations"]))])
        for e in d["elicitations"]:
            QTreeWidgetItem(el, [f"{e['session']}: {e['parameter']}",
                                 f"{e['method']}, {e['applied_at']}"])
        rs = QTreeWidgetItem(self.risk_tree, ["Runs that used it", str(len(d["runs"]))])
        for r in d["runs"]:
            QTreeWidgetItem(rs, [f"Run {r['id']} {r['label']}",
                                 f"{r['registry']} #{r['registry_version']} · {r['created_at']}"])
        self.risk_tree.expandAll()
        _tips(self.risk_tree)


if __name__ == "__main__":
    from riskdesk.ui.main_window import screen_main

    raise SystemExit(screen_main("audit"))
