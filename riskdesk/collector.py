"""One process-wide pause of Python's cyclic garbage collector for work in background threads.

Two reasons to pause it while a background thread works beside the GUI:

* a collection runs in whichever thread happens to allocate. Started in a worker, it may finalise
  Qt widgets that the GUI left in reference cycles, and destroying a widget off the GUI thread
  deadlocks PySide;
* loading big packages (numba's kernels, Presidio) creates hundreds of thousands of objects and
  sets off full collections of 30-90 ms that hold the interpreter lock, which the window feels.

``pause()``/``resume()`` are counted, so overlapping holders (a simulation, the detector loading
in the background, a pooling job) never switch the collector back on under each other: it runs
again when the last holder resumes, if it was on when the first one paused. ``resume(freeze=True)``
first moves every object alive into the permanent generation (:func:`gc.freeze`), so modules just
loaded are never scanned again.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_restore = False


def pause() -> None:
    """Hold the collector off until the matching :func:`resume`."""
    global _holders, _restore
    with _lock:
        if _holders == 0:
            _restore = gc.isenabled()
            gc.disable()
        _holders += 1


def resume(freeze: bool = False) -> None:
    """Release one hold; the collector runs again once no holder is left."""
    global _holders
    with _lock:
        if _holders == 0:
            return
        if freeze:
            gc.freeze()
        _holders -= 1
        if _holders == 0 and _restore:
            gc.enable()


def holders() -> int:
    """How many holds are active (for tests and diagnostics)."""
    return _holders


@contextmanager
def paused(freeze: bool = False) -> Iterator[None]:
    """The collector held off for the block; see :func:`resume` for ``freeze``."""
    pause()
    try:
        yield
    finally:
        resume(freeze)


class Hold:
    """One hold that is released at most once, whoever asks first (normal end, shutdown, or the
    owner being garbage-collected)."""

    def __init__(self) -> None:
        self._held = False
        self._lock = threading.Lock()

    def take(self) -> None:
        with self._lock:
            if not self._held:
                pause()
                self._held = True

    def release(self) -> None:
        with self._lock:
            if self._held:
                self._held = False
                resume()
