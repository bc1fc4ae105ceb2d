"""The risk editor form: every field of a risk, with a live preview of its impact distribution.

Parameters are checked on every keystroke with the domain rules (``Risk.validate``); problems are
listed under the form, the fields concerned are marked, and OK stays disabled until there are none.
The dialog does not write: whoever opens it reads :meth:`RiskEditor.risk` when it is accepted.
"""

from __future__ import annotations

from dataclasses import replace as dc_replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.distributions import FAMILIES, FAMILY_LABELS, Distribution
from riskdesk.domain.registry import Correlation, psd_problems
from riskdesk.domain.risk import (
    AFFECTS,
    CATEGORIES,
    KINDS,
    STATUSES,
    Phasing,
    Risk,
    edited_source,
)
from riskdesk.ui.charts.distribution_preview import DistributionPreview
from riskdesk.ui.panels.registry_model import parse_number
from riskdesk.ui.panels.registry_source import source_text

# field -> families using it; lognormal's "mean" is signed (negative = threat), as in the template
_FIELDS = {"min": ("triangular", "pert", "uniform", "loguniform"), "mode": ("triangular", "pert"),
           "max": ("triangular", "pert", "uniform", "loguniform"),
           "mean": ("normal", "lognormal"), "sd": ("normal", "lognormal"), "value": ("fixed",),
           "values": ("discrete",), "probs": ("discrete",)}
_FIELD_LABELS = {"min": "Min", "mode": "Most likely", "max": "Max", "mean": "Mean", "sd": "SD",
                 "value": "Value", "values": "Values (a; b; c)", "probs": "Probabilities"}
_BAD = "background: #fde2e1;"


def _num(x: float) -> str:
    """Shortest text that reads back as exactly ``x`` (OK without edits changes nothing)."""
    s = f"{x:.15g}"
    return s if float(s) == x else repr(float(x))


class DistributionFields(QWidget):
    """Family chooser plus the parameter fields of the chosen family."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.family = QComboBox()
        for k in FAMILIES:
            self.family.addItem(FAMILY_LABELS[k], k)
        self.form.addRow("Distribution", self.family)
        self.edits: dict[str, QLineEdit] = {}
        for k in _FIELDS:
            e = QLineEdit()
            e.setObjectName(f"param_{k}")
            e.textChanged.connect(self.changed)
            self.edits[k] = e
            self.form.addRow(_FIELD_LABELS[k], e)
        self.edits["mean"].setToolTip("Lognormal: mean of the magnitude, negative for a threat")
        self.family.currentIndexChanged.connect(self._family_changed)
        self._family_changed()

    def _family_changed(self) -> None:
        fam = self.current_family()
        for k, fams in _FIELDS.items():
            self.form.setRowVisible(self.edits[k], fam in fams)
        self.changed.emit()

    def current_family(self) -> str:
        return str(self.family.currentData())

    def set_distribution(self, d: Distribution) -> None:
        for e in self.edits.values():
            e.blockSignals(True)
            e.clear()
        p = d.params
        if d.family == "discrete":
            self.edits["values"].setText("; ".join(_num(float(v)) for v in p.get("values", [])))
            self.edits["probs"].setText("; ".join(_num(float(v)) for v in p.get("probs", [])))
        elif d.family == "lognormal":
            self.edits["mean"].setText(_num(float(p.get("sign", 1)) * float(p.get("mean", 0))))
            self.edits["sd"].setText(_num(float(p.get("sd", 0))))
        else:
            for k in FAMILIES.get(d.family, ()):
                if k in p:
                    self.edits[k].setText(_num(float(p[k])))
        for e in self.edits.values():
            e.blockSignals(False)
        i = self.family.findData(d.family)
        self.family.setCurrentIndex(max(i, 0))
        self._family_changed()

    def distribution(self, where: str) -> tuple[Distribution | None, list[tuple[str, str]]]:
        """(distribution, [(field, problem)]) from the typed text; validated by family rules."""
        fam = self.current_family()
        errs: list[tuple[str, str]] = []
        vals: dict[str, Any] = {}
        for k, fams in _FIELDS.items():
            if fam not in fams:
                continue
            text = self.edits[k].text().strip()
            if not text:
                errs.append((k, f"{where}: {_FIELD_LABELS[k].lower()} is required"))
                continue
            try:
                if k in ("values", "probs"):
                    vals[k] = [parse_number(t, k) for t in text.replace(",", ";").split(";")
                               if t.strip()]
                else:
                    vals[k] = parse_number(text, _FIELD_LABELS[k].lower())
            except ValueError as e:
                errs.append((k, f"{where}: {e}"))
        if errs:
            return None, errs
        if fam == "lognormal":
            m = vals["mean"]
            vals = {"mean": abs(m), "sd": vals["sd"], "sign": -1.0 if m < 0 else 1.0}
            if m == 0:
                return None, [("mean", f"{where}: lognormal mean must not be 0")]
        d = Distribution(fam, vals)
        probs = d.validate(where)
        out = []
        for p in probs:
            key = p.where.rsplit(".", 1)[-1]
            key = "mean" if key == "sign" else key
            out.append((key if key in self.edits else "values", str(p)))
        return (None, out) if out else (d, [])

    def mark(self, bad: set[str]) -> None:
        for k, e in self.edits.items():
            e.setStyleSheet(_BAD if k in bad else "")


class RiskEditor(QDialog):
    """Edit one risk (or a new one). ``months``/``units`` are the registry's horizon and unit."""

    def __init__(self, risk: Risk, *, months: int = 36, units: str = "kUSD",
                 taken_ids: set[str] | None = None, people: list[str] | None = None,
                 business_units: list[str] | None = None, new: bool = False,
                 correlation: Correlation | None = None, quant_ids: list[str] | None = None,
                 provenance: list[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New risk" if new else f"Edit risk {risk.id}")
        self.months, self.units = months, units
        self.taken = set(taken_ids or ())
        self.original = risk
        self._risk: Risk | None = None
        self.problem_list: list[str] = []
        self.corr_in = correlation or Correlation()
        self.quant_ids = [i for i in (quant_ids or []) if i != risk.id]
        self.pairs: dict[str, float] = {}
        for (a, b), rho in self.corr_in.pairs.items():
            if risk.id in (a, b):
                self.pairs[b if a == risk.id else a] = rho

        form_w = QWidget()
        col = QVBoxLayout(form_w)
        ident = QGroupBox("Risk")
        f = QFormLayout(ident)
        self.id_edit = QLineEdit()
        self.title_edit = QLineEdit()
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(60)
        self.owner = self._combo(people or [], editable=True)
        self.bu = self._combo(business_units or [], editable=True)
        self.category = self._combo(list(CATEGORIES))
        self.status = self._combo(list(STATUSES))
        self.kind = self._combo(list(KINDS))
        for label, w in (("ID", self.id_edit), ("Title", self.title_edit),
                         ("Description", self.description), ("Owner", self.owner),
                         ("Business unit", self.bu), ("Category", self.category),
                         ("Status", self.status), ("Kind", self.kind)):
            f.addRow(label, w)
        self.source = QLabel()
        self.source.setObjectName("source")
        self.source.setWordWrap(True)
        self.source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source.setToolTip("Where the numbers came from; typing over a number that came "
                               "from an elicitation or the risk matrix records a hand edit")
        f.addRow("Source", self.source)
        self.provenance = QLabel("\n".join(provenance or []))
        self.provenance.setObjectName("provenance")
        self.provenance.setWordWrap(True)
        self.provenance.setStyleSheet("color: #555;")
        self.provenance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.provenance.setVisible(bool(provenance))
        f.addRow("", self.provenance)
        col.addWidget(ident)

        self.quant = QGroupBox("Quantitative impact")
        f = QFormLayout(self.quant)
        self.probability = QLineEdit()
        self.probability.setToolTip("Chance of occurrence in the horizon: 0-1 or a percentage")
        f.addRow("Probability", self.probability)
        self.impact = DistributionFields()
        f.addRow(self.impact)
        self.affects = self._combo(list(AFFECTS))
        f.addRow("Affects", self.affects)
        self.phasing_type = QComboBox()
        self.phasing_type.addItem("Window", "window")
        self.phasing_type.addItem("Monthly profile", "profile")
        self.start = QSpinBox()
        self.start.setRange(-1, 600)
        self.length = QSpinBox()
        self.length.setRange(0, 600)
        self.profile = QLineEdit()
        self.profile.setPlaceholderText("month:weight; month:weight, e.g. 3:1; 4:2; 5:1")
        f.addRow("Phasing", self.phasing_type)
        f.addRow("Start month", self.start)
        f.addRow("Months", self.length)
        f.addRow("Profile", self.profile)
        self._quant_form = f
        col.addWidget(self.quant)

        self.mitig = QGroupBox("Mitigation")
        f = QFormLayout(self.mitig)
        self.has_post = QCheckBox("Post-mitigation values differ")
        self.post_probability = QLineEdit()
        self.post_impact = DistributionFields()
        self.cost = QLineEdit()
        self.mitigation = QPlainTextEdit()
        self.mitigation.setFixedHeight(50)
        f.addRow(self.has_post)
        f.addRow("Post probability", self.post_probability)
        f.addRow(self.post_impact)
        f.addRow(f"Mitigation cost ({units})", self.cost)
        f.addRow("Actions", self.mitigation)
        col.addWidget(self.mitig)

        quali = QGroupBox("Qualitative ratings")
        f = QFormLayout(quali)
        self.likelihood = self._combo(["", "1", "2", "3", "4", "5"])
        self.severity = self._combo(["", "1", "2", "3", "4", "5"])
        f.addRow("Likelihood (1-5)", self.likelihood)
        f.addRow("Impact rating (1-5)", self.severity)
        col.addWidget(quali)
        col.addWidget(self._correlation_box(correlation is not None))
        col.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidget(form_w)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(420)

        right = QVBoxLayout()
        self.preview_which = QComboBox()
        self.preview_which.addItem("Impact", "impact")
        self.preview_which.addItem("Post-mitigation impact", "post")
        right.addWidget(self.preview_which)
        self.preview = DistributionPreview(units)
        right.addWidget(self.preview, 1)

        body = QHBoxLayout()
        body.addWidget(scroll, 1)
        body.addLayout(right, 1)
        self.problems_label = QLabel()
        self.problems_label.setObjectName("problems")
        self.problems_label.setStyleSheet("color: #b3261e;")
        self.problems_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(body, 1)
        lay.addWidget(self.problems_label)
        lay.addWidget(self.buttons)
        self.resize(1000, 720)

        self.set_risk(risk)
        for w in (self.id_edit, self.title_edit, self.probability, self.profile,
                  self.post_probability, self.cost):
            w.textChanged.connect(self.refresh)
        for c in (self.owner, self.bu, self.category, self.status, self.kind, self.affects,
                  self.phasing_type, self.likelihood, self.severity, self.preview_which):
            c.currentTextChanged.connect(self.refresh)
        for s in (self.start, self.length):
            s.valueChanged.connect(self.refresh)
        self.impact.changed.connect(self.refresh)
        self.post_impact.changed.connect(self.refresh)
        self.has_post.toggled.connect(self.refresh)
        self.description.textChanged.connect(self.refresh)
        self.mitigation.textChanged.connect(self.refresh)
        self.refresh()

    def _correlation_box(self, enabled: bool) -> QGroupBox:
        box = QGroupBox("Correlation with other risks (rank correlation)")
        v = QVBoxLayout(box)
        self.corr_table = QTableWidget(0, 2)
        self.corr_table.setHorizontalHeaderLabels(["Risk", "ρ"])
        self.corr_table.verticalHeader().setVisible(False)
        self.corr_table.horizontalHeader().setStretchLastSection(True)
        self.corr_table.setFixedHeight(110)
        v.addWidget(self.corr_table)
        row = QHBoxLayout()
        self.corr_other = self._combo(self.quant_ids)
        self.corr_rho = QDoubleSpinBox()
        self.corr_rho.setRange(-1.0, 1.0)
        self.corr_rho.setSingleStep(0.05)
        self.corr_rho.setValue(0.5)
        add, remove = QPushButton("Set"), QPushButton("Remove")
        add.clicked.connect(lambda: self.set_pair(self.corr_other.currentText(),
                                                  self.corr_rho.value()))
        remove.clicked.connect(self._remove_selected_pair)
        for w in (self.corr_other, self.corr_rho, add, remove):
            row.addWidget(w)
        v.addLayout(row)
        note = "" if enabled else "Correlations are edited on a saved registry."
        if self.corr_in.matrix is not None:
            note, enabled = "This registry uses a full correlation matrix; edit it in Excel.", False
        if note:
            v.addWidget(QLabel(note))
        box.setEnabled(enabled)
        self._show_pairs()
        return box

    def _show_pairs(self) -> None:
        self.corr_table.setRowCount(len(self.pairs))
        for i, (other, rho) in enumerate(sorted(self.pairs.items())):
            self.corr_table.setItem(i, 0, QTableWidgetItem(other))
            self.corr_table.setItem(i, 1, QTableWidgetItem(f"{rho:+.2f}"))

    def set_pair(self, other: str, rho: float) -> None:
        """Set the correlation of this risk with ``other`` (``rho`` in -1..1)."""
        if not other:
            return
        self.pairs[other] = max(-1.0, min(1.0, float(rho)))
        self._show_pairs()
        self.refresh()

    def _remove_selected_pair(self) -> None:
        for idx in self.corr_table.selectionModel().selectedRows():
            it = self.corr_table.item(idx.row(), 0)
            if it is not None:
                self.pairs.pop(it.text(), None)
        self._show_pairs()
        self.refresh()

    def correlation(self) -> Correlation:
        """The registry's correlation with this risk's pairs as edited (and its id renamed)."""
        rid = self.id_edit.text().strip() or self.original.id
        keep = {k: v for k, v in self.corr_in.pairs.items() if self.original.id not in k}
        c = dc_replace(self.corr_in, pairs=keep)
        for other, rho in self.pairs.items():
            c = c.with_pair(rid, other, rho)
        return c

    def _correlation_problems(self, rid: str) -> list[tuple[str, str]]:
        if not self.pairs or self.kind.currentText() != "quantitative":
            return []
        ids = [*self.quant_ids, rid]
        try:
            if psd_problems(self.corr_in.full_matrix([*self.quant_ids, self.original.id])):
                return []  # already invalid before this edit: the approval gate reports it
            return [("correlation", str(p)) for p in psd_problems(
                self.correlation().full_matrix(ids), "correlation")]
        except ValueError as e:
            return [("correlation", str(e))]

    @staticmethod
    def _combo(items: list[str], editable: bool = False) -> QComboBox:
        c = QComboBox()
        c.setEditable(editable)
        c.addItems(items)
        return c

    # ---- values -----------------------------------------------------------------------------
    def set_risk(self, r: Risk) -> None:
        self.id_edit.setText(r.id)
        self.title_edit.setText(r.title)
        self.description.setPlainText(r.description)
        self.owner.setCurrentText(r.owner)
        self.bu.setCurrentText(r.business_unit)
        for combo, v in ((self.category, r.category), (self.status, r.status),
                         (self.kind, r.kind), (self.affects, r.affects)):
            if combo.findText(v) < 0:
                combo.addItem(v)
            combo.setCurrentText(v)
        self.probability.setText(_num(r.probability))
        self.impact.set_distribution(r.impact)
        ph = r.phasing
        self.phasing_type.setCurrentIndex(1 if ph.type == "profile" else 0)
        self.start.setValue(ph.start)
        self.length.setValue(ph.length)
        self.profile.setText("; ".join(f"{m}:{_num(w)}" for m, w in zip(ph.months, ph.weights,
                                                                     strict=True)))
        has_post = r.post_probability is not None or r.post_impact is not None
        self.has_post.setChecked(has_post)
        self.post_probability.setText("" if r.post_probability is None
                                      else _num(r.post_probability))
        self.post_impact.set_distribution(r.post_impact or r.impact)
        self.cost.setText(_num(r.mitigation_cost))
        self.mitigation.setPlainText(r.mitigation)
        self.likelihood.setCurrentText("" if r.likelihood is None else str(r.likelihood))
        self.severity.setCurrentText("" if r.severity is None else str(r.severity))

    def _build(self) -> tuple[Risk | None, list[tuple[str, str]], Distribution | None,
                              Distribution | None]:
        errs: list[tuple[str, str]] = []
        quali = self.kind.currentText() == "qualitative"

        def num(edit: QLineEdit, name: str, default: float | None) -> float | None:
            t = edit.text().strip()
            if not t:
                return default
            try:
                return parse_number(t, name)
            except ValueError as e:
                errs.append((name, str(e)))
                return default

        prob = num(self.probability, "probability", 0.0 if quali else None)
        if prob is None:
            errs.append(("probability", "probability is required"))
        impact, e1 = self.impact.distribution("impact")
        post_impact, post_p = None, None
        if self.has_post.isChecked():
            post_impact, e2 = self.post_impact.distribution("post impact")
            errs += [(f"post_{k}", m) for k, m in e2]
            post_p = num(self.post_probability, "post probability", None)
        if not quali:
            errs += e1
        cost = num(self.cost, "mitigation cost", 0.0)
        if self.phasing_type.currentData() == "profile":
            ms, ws = [], []
            for part in self.profile.text().split(";"):
                if not part.strip():
                    continue
                try:
                    m, w = part.split(":")
                    ms.append(int(m))
                    ws.append(float(w))
                except ValueError:
                    errs.append(("profile", f"profile: {part.strip()!r} is not month:weight"))
            phasing = Phasing.profile(ms, ws)
        else:
            phasing = Phasing.window(self.start.value(), self.length.value())
        rid = self.id_edit.text().strip()
        if rid and rid != self.original.id and rid in self.taken:
            errs.append(("id", f"risk id {rid!r} is already used"))
        errs += self._correlation_problems(rid)
        if errs and not quali:
            return None, errs, impact, post_impact
        lik, sev = self.likelihood.currentText(), self.severity.currentText()
        risk = Risk(
            id=rid, title=self.title_edit.text().strip(),
            description=self.description.toPlainText().strip(),
            owner=self.owner.currentText().strip(), business_unit=self.bu.currentText().strip(),
            category=self.category.currentText(), status=self.status.currentText(),
            kind=self.kind.currentText(), probability=prob or 0.0,
            impact=impact or self.original.impact, affects=self.affects.currentText(),
            phasing=phasing, post_probability=post_p, post_impact=post_impact,
            mitigation_cost=cost or 0.0, mitigation=self.mitigation.toPlainText().strip(),
            likelihood=int(lik) if lik else None, severity=int(sev) if sev else None,
            source=self.original.source)
        risk = risk.with_(source=edited_source(self.original, risk))
        for p in risk.validate(self.months):
            key = p.where.split(".", 1)[1] if "." in p.where else p.where
            errs.append((key.replace("impact.", "").replace("phasing.", ""), str(p)))
        return (None if errs else risk), errs, impact, post_impact

    def refresh(self) -> None:
        """Re-check every field, mark problems, update the preview and the OK button."""
        quali = self.kind.currentText() == "qualitative"
        self.quant.setEnabled(not quali)
        profile = self.phasing_type.currentData() == "profile"
        self._quant_form.setRowVisible(self.start, not profile)
        self._quant_form.setRowVisible(self.length, not profile)
        self._quant_form.setRowVisible(self.profile, profile)
        post = self.has_post.isChecked()
        self.post_probability.setEnabled(post)
        self.post_impact.setEnabled(post)
        risk, errs, impact, post_impact = self._build()
        self._risk = risk
        src = (risk or self.original).source
        self.source.setText(source_text(src) if src else "typed in (no elicitation or matrix "
                            "behind these numbers)")
        self.problem_list = [m for _, m in errs]
        bad = {k.replace(" ", "_") for k, _ in errs}
        self.impact.mark(bad)
        self.post_impact.mark({k[5:] for k in bad if k.startswith("post_")})
        for name, w in (("id", self.id_edit), ("probability", self.probability),
                        ("post_probability", self.post_probability),
                        ("mitigation_cost", self.cost), ("profile", self.profile)):
            w.setStyleSheet(_BAD if name in bad else "")
        self.problems_label.setText("\n".join(self.problem_list))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(risk is not None)
        show_post = self.preview_which.currentData() == "post"
        dist = post_impact if show_post and post else impact
        if quali:
            self.preview.set_distribution(None, "qualitative risk: no impact distribution")
        elif show_post and not post:
            self.preview.set_distribution(impact, "" if impact else "invalid parameters")
        elif dist is None:
            where = "post impact" if show_post else "impact"
            msgs = [m for k, m in errs if m.startswith(where)]
            self.preview.set_distribution(None, msgs[0] if msgs else "invalid parameters")
        else:
            self.preview.set_distribution(dist)

    def risk(self) -> Risk | None:
        """The edited risk, or None while any field has a problem."""
        return self._risk

    def accept(self) -> None:
        if self._risk is not None:
            super().accept()


def main() -> int:
    """Open the editor alone on a sample risk."""
    import sys

    from PySide6.QtWidgets import QApplication

    from riskdesk.services.demo import demo_risks

    app = QApplication.instance() or QApplication(sys.argv)
    dlg = RiskEditor(demo_risks()[0], taken_ids=set(), people=["Ingrid Halvorsen"])
    dlg.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["DistributionFields", "RiskEditor"]
