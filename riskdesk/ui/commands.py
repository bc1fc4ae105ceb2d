"""Undoable edits of the registry draft and the baseline draft (QUndoCommands over services).

Use :func:`execute`: it performs the change once through the service, and only if that worked
pushes the command on ``state.undo_stack`` (so a refused change never enters the undo history).
Undo and redo call the services again; each notifies the app through ``state`` signals.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from riskdesk.domain.baseline import BaselinePlan
from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import Correlation, Registry
from riskdesk.domain.risk import Risk
from riskdesk.services.baseline import BaselineService
from riskdesk.services.registry import RegistryService
from riskdesk.ui.state import AppState


class ServiceCommand(QUndoCommand):
    """An edit with ``apply`` and ``revert`` that talk to services; never raises into Qt."""

    signal_name = "registry_changed"

    def __init__(self, state: AppState, text: str) -> None:
        super().__init__(text)
        self.state = state
        self._skip_redo = False

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def _notify(self) -> None:
        getattr(self.state, self.signal_name).emit()

    def redo(self) -> None:
        if self._skip_redo:  # already applied by execute()
            self._skip_redo = False
        else:
            self._run(self.apply, "Redo")
        self._notify()

    def undo(self) -> None:
        self._run(self.revert, "Undo")
        self._notify()

    def _run(self, fn: object, what: str) -> None:
        try:
            fn()  # type: ignore[operator]
        except (ValidationError, OSError) as e:
            self.state.notify(f"{what} of “{self.text()}” failed: {e}")
        except Exception as e:  # keep the GUI alive whatever the storage says
            self.state.notify(f"{what} of “{self.text()}” failed: {type(e).__name__}: {e}")


def execute(state: AppState, cmd: ServiceCommand) -> list[Problem]:
    """Apply ``cmd`` now; on success push it for undo and return [], else return the problems."""
    try:
        cmd.apply()
    except ValidationError as e:
        return e.problems
    except Exception as e:  # storage failures are reported, never raised into the event loop
        return [Problem("", f"{type(e).__name__}: {e}")]
    cmd._skip_redo = True
    state.undo_stack.push(cmd)
    return []


# ---- registry -----------------------------------------------------------------------------------
class PutRisksCommand(ServiceCommand):
    """Add or replace risks (edit, add, paste). ``before`` maps each id to its old risk or None."""

    def __init__(self, state: AppState, risks: list[Risk], before: dict[str, Risk | None],
                 text: str, positions: dict[str, int] | None = None) -> None:
        super().__init__(state, text)
        self.risks = list(risks)
        self.before = dict(before)
        self.positions = positions

    def apply(self) -> None:
        RegistryService(self.state.workspace).apply_risks(self.risks, positions=self.positions)

    def revert(self) -> None:
        svc = RegistryService(self.state.workspace)
        added = [rid for rid, old in self.before.items() if old is None]
        if added:
            svc.delete_risks(added)
        olds = [old for old in self.before.values() if old is not None]
        if olds:
            svc.apply_risks(olds)


class ServiceRiskCommand(ServiceCommand):
    """A service call that rewrites risks in the draft (apply a pooled elicitation result,
    convert qualitative risks through the risk matrix). ``change`` runs once and returns the new
    risks; redo puts them back and undo restores ``before`` (the service's own records of the
    change, e.g. the applied-result row and the audit entries, stay as history)."""

    def __init__(self, state: AppState, text: str, before: list[Risk],
                 change: Callable[[], list[Risk]]) -> None:
        super().__init__(state, text)
        self.before = list(before)
        self.change: Callable[[], list[Risk]] | None = change
        self.after: list[Risk] = []

    def apply(self) -> None:
        svc = RegistryService(self.state.workspace)
        if self.change is not None:
            self.after, self.change = self.change(), None
        else:
            svc.apply_risks(self.after)

    def revert(self) -> None:
        RegistryService(self.state.workspace).apply_risks(self.before)


class RenameRiskCommand(ServiceCommand):
    """Replace a risk by one with another id, in place."""

    def __init__(self, state: AppState, old: Risk, new: Risk) -> None:
        super().__init__(state, f"Rename {old.id} to {new.id}")
        self.old, self.new = old, new

    def apply(self) -> None:
        RegistryService(self.state.workspace).rename_risk(self.old.id, self.new)

    def revert(self) -> None:
        RegistryService(self.state.workspace).rename_risk(self.new.id, self.old)


class DeleteRisksCommand(ServiceCommand):
    """Delete risks; undo puts them back at their positions."""

    def __init__(self, state: AppState, risk_ids: list[str]) -> None:
        n = len(risk_ids)
        super().__init__(state, f"Delete {risk_ids[0]}" if n == 1 else f"Delete {n} risks")
        self.ids = list(risk_ids)
        self.removed: list[tuple[int, Risk]] = []

    def apply(self) -> None:
        self.removed = RegistryService(self.state.workspace).delete_risks(self.ids)

    def revert(self) -> None:
        svc = RegistryService(self.state.workspace)
        for pos, risk in sorted(self.removed, key=lambda x: x[0]):
            svc.apply_risks([risk], positions={risk.id: pos}, action="risk.restore")


class ImportRegistryCommand(ServiceCommand):
    """Merge or replace the draft with an imported registry; undo restores the old draft, or no
    registry at all when the import created it (redo creates it again)."""

    def __init__(self, state: AppState, incoming: Registry, replace: bool, source: str) -> None:
        super().__init__(state, f"Import {source}")
        self.incoming, self.replace = incoming, replace
        self.before: Registry | None = None

    def apply(self) -> None:
        svc = RegistryService(self.state.workspace)
        self.before = svc.draft() if svc.exists() else None
        svc.apply_import(self.incoming, replace=self.replace)

    def revert(self) -> None:
        svc = RegistryService(self.state.workspace)
        if self.before is not None:
            svc.apply_import(self.before, replace=True, mark_hand_edits=False)
        elif not svc.versions():  # the import created the registry: remove it again
            svc.remove()
        else:  # a version frozen since is kept for good, so only the draft can go
            svc.delete_risks(list(svc.draft().ids))
            svc.set_correlation(Correlation())
            self.state.notify("Undo emptied the draft: the registry stays because a version "
                              "of it was frozen after the import")


class SetCorrelationCommand(ServiceCommand):
    """Replace the registry's correlation settings."""

    def __init__(self, state: AppState, before: Correlation, after: Correlation,
                 text: str = "Edit correlations") -> None:
        super().__init__(state, text)
        self.before, self.after = before, after

    def apply(self) -> None:
        RegistryService(self.state.workspace).set_correlation(self.after)

    def revert(self) -> None:
        RegistryService(self.state.workspace).set_correlation(self.before)


class CompositeCommand(ServiceCommand):
    """Several commands as one undo step; if one fails the ones before it are reverted."""

    def __init__(self, state: AppState, parts: list[ServiceCommand], text: str) -> None:
        super().__init__(state, text)
        self.parts = list(parts)

    def apply(self) -> None:
        done: list[ServiceCommand] = []
        try:
            for c in self.parts:
                c.apply()
                done.append(c)
        except Exception:
            for c in reversed(done):
                c.revert()
            raise

    def revert(self) -> None:
        for c in reversed(self.parts):
            c.revert()


# ---- baseline -----------------------------------------------------------------------------------
class BaselineCellCommand(ServiceCommand):
    """Set one plan cell (business unit, line, month)."""

    signal_name = "baseline_changed"

    def __init__(self, state: AppState, bu: str, line: str, month: int, value: float,
                 label: str = "") -> None:
        super().__init__(state, f"Edit {bu} {line} {label or month}")
        self.bu, self.line, self.month, self.value = bu, line, month, float(value)
        self.old: float | None = None

    def apply(self) -> None:
        self.old = BaselineService(self.state.workspace).set_value(self.bu, self.line,
                                                                   self.month, self.value)

    def revert(self) -> None:
        if self.old is not None:
            BaselineService(self.state.workspace).set_value(self.bu, self.line, self.month,
                                                            self.old)


class BaselinePlanCommand(ServiceCommand):
    """Replace the whole draft plan (paste of a block, import)."""

    signal_name = "baseline_changed"

    def __init__(self, state: AppState, before: BaselinePlan | None, after: BaselinePlan,
                 text: str) -> None:
        super().__init__(state, text)
        self.before, self.after = before, after

    def apply(self) -> None:
        BaselineService(self.state.workspace).save_draft(self.after, action="baseline.paste")

    def revert(self) -> None:
        if self.before is not None:
            BaselineService(self.state.workspace).save_draft(self.before, action="baseline.undo")
