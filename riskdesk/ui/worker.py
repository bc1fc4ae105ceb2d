"""Run a generator (e.g. the engine driver) in a worker thread with progress and cancel.

The generator's ``yield`` values arrive as ``progress`` signals in the GUI thread; its return value
arrives as ``finished``; an exception as ``failed`` (message text); ``cancel()`` stops it at the next
``yield`` and emits ``cancelled``. ``done`` is emitted last in every case.

``low_priority=True`` runs the thread below the GUI thread's priority (and, on Linux, raises its
nice value, which threads it starts, such as the engine's compute pool, inherit), so the window
keeps getting the CPU while both cores compute.

While a worker runs, Python's cyclic garbage collector is held off (:mod:`riskdesk.collector`,
counted across overlapping workers): a collection started in the worker thread could finalise Qt
widgets left in reference cycles by the GUI, and destroying a widget off the GUI thread deadlocks
PySide. The hold is released on the GUI thread when the worker ends, when ``wait()``/``stop()``
sees the thread finished, or when the worker object is deleted, whichever comes first.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
import weakref
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from riskdesk import collector


class _Runner(QObject):
    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, make: Callable[[], Generator[Any, None, Any]],
                 low_priority: bool = False) -> None:
        super().__init__()
        self._make = make
        self._low = low_priority
        self._stop = threading.Event()

    def run(self) -> None:
        try:
            self._run()
        finally:  # end the thread's event loop from inside: wait() never needs the GUI loop
            thread = self.thread()
            if thread is not None:
                thread.quit()

    def _run(self) -> None:
        if self._low:
            lower_thread_priority()
        try:
            gen = self._make()
            while True:
                if self._stop.is_set():
                    gen.close()
                    self.cancelled.emit()
                    return
                try:
                    item = next(gen)
                except StopIteration as stop:
                    self.finished.emit(stop.value)
                    return
                self.progress.emit(item)
        except Exception as e:  # errors are values for the GUI: never crash the app
            from riskdesk.domain.problems import ValidationError

            if isinstance(e, ValidationError):
                self.failed.emit(str(e))
            else:
                self.failed.emit(f"{type(e).__name__}: {e}\n\n{traceback.format_exc(limit=3)}")


def lower_thread_priority(step: int = 10) -> None:
    """Raise the calling thread's nice value by ``step`` where the OS keeps it per thread (Linux);
    elsewhere the QThread priority does the job. Never fails."""
    if not hasattr(os, "setpriority") or not sys.platform.startswith("linux"):
        return
    try:
        now = os.getpriority(os.PRIO_PROCESS, 0)
        os.setpriority(os.PRIO_PROCESS, 0, min(19, now + step))
    except OSError:
        pass


class GeneratorWorker(QObject):
    """Owns a QThread running one generator; create, connect signals, then ``start()``."""

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()

    def __init__(self, make: Callable[[], Generator[Any, None, Any]],
                 parent: QObject | None = None, low_priority: bool = False) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._low = low_priority
        self._hold = collector.Hold()
        weakref.finalize(self, self._hold.release)  # the wrapper goes away
        self.destroyed.connect(self._hold.release)  # deleted with its parent screen
        self._runner = _Runner(make, low_priority)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)
        self._runner.progress.connect(self.progress)
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)
        self._runner.cancelled.connect(self._on_cancelled)

    def start(self) -> None:
        self._hold.take()
        self._thread.start(QThread.Priority.LowPriority if self._low
                           else QThread.Priority.InheritPriority)

    def cancel(self) -> None:
        self._runner._stop.set()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def stop(self, ms: int = 300_000) -> bool:
        """Cancel (if still running) and wait for the thread to end; what a screen's
        ``shutdown()`` calls. True when the thread has ended."""
        self.cancel()
        return self.wait(ms)

    def wait(self, ms: int = 30000) -> bool:
        ended = self._thread.wait(ms)
        if ended:
            self._hold.release()
        return ended

    def _end(self) -> None:
        self._thread.quit()
        self._thread.wait()
        self._hold.release()
        self.done.emit()

    def _on_finished(self, value: object) -> None:
        self.finished.emit(value)
        self._end()

    def _on_failed(self, msg: str) -> None:
        self.failed.emit(msg)
        self._end()

    def _on_cancelled(self) -> None:
        self.cancelled.emit()
        self._end()

