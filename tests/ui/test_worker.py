"""The background worker: results arrive as signals, waiting never needs the GUI loop, and
low-priority work runs below the GUI thread."""

from __future__ import annotations

import os
import sys

import pytest

from riskdesk.ui.worker import GeneratorWorker


def test_that_waiting_for_a_finished_worker_does_not_need_the_event_loop(qtbot):
    def gen():  # type: ignore[no-untyped-def]
        yield 1
        return 2

    w = GeneratorWorker(gen)
    got: list[object] = []
    w.finished.connect(got.append)
    w.start()
    assert w.wait(10_000)  # the GUI thread blocks here, as when the window closes
    qtbot.waitUntil(lambda: got == [2], timeout=5_000)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="nice is per thread on Linux")
def test_that_low_priority_work_runs_with_a_higher_nice_value_than_the_gui_thread(qtbot):
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    seen: list[int] = []

    def gen():  # type: ignore[no-untyped-def]
        seen.append(os.getpriority(os.PRIO_PROCESS, 0))
        return None
        yield

    w = GeneratorWorker(gen, low_priority=True)
    done: list[bool] = []
    w.done.connect(lambda: done.append(True))
    w.start()
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert seen == [min(19, mine + 10)] and os.getpriority(os.PRIO_PROCESS, 0) == mine


def test_that_the_collector_is_held_off_while_workers_run_and_back_when_the_last_ends(qtbot):
    """A collection started in a worker thread may destroy Qt widgets off the GUI thread, which
    deadlocks PySide; so no collection may run in a worker's thread while it works."""
    import gc
    import threading

    from riskdesk import collector

    release = [threading.Event(), threading.Event()]
    seen: list[bool] = []

    def make(i: int):  # type: ignore[no-untyped-def]
        def gen():  # type: ignore[no-untyped-def]
            seen.append(gc.isenabled())
            release[i].wait(10)
            yield i
            return i
        return gen

    assert gc.isenabled()
    a, b = GeneratorWorker(make(0)), GeneratorWorker(make(1), low_priority=True)
    ended: list[str] = []
    a.done.connect(lambda: ended.append("a"))
    b.done.connect(lambda: ended.append("b"))
    a.start()
    b.start()
    assert collector.holders() == 2 and not gc.isenabled()
    release[0].set()
    qtbot.waitUntil(lambda: ended == ["a"], timeout=10_000)
    assert not gc.isenabled()  # b still runs
    b.cancel()
    release[1].set()
    qtbot.waitUntil(lambda: ended == ["a", "b"], timeout=10_000)
    assert seen == [False, False] and gc.isenabled() and collector.holders() == 0


def test_that_a_failed_or_abandoned_worker_gives_the_collector_back(qtbot):
    import gc

    from riskdesk import collector

    def boom():  # type: ignore[no-untyped-def]
        raise ValueError("bad input")
        yield

    w = GeneratorWorker(boom)
    msgs: list[str] = []
    w.failed.connect(msgs.append)
    w.start()
    qtbot.waitUntil(lambda: bool(msgs), timeout=10_000)
    qtbot.waitUntil(lambda: gc.isenabled(), timeout=5_000)
    assert "bad input" in msgs[0]

    def quick():  # type: ignore[no-untyped-def]
        return None
        yield

    # the window closes: the panel waits for its worker and drops it before its signals arrive
    w2 = GeneratorWorker(quick)
    w2.start()
    assert w2.wait(10_000) and gc.isenabled() and collector.holders() == 0
    w3 = GeneratorWorker(quick)
    w3.start()
    w3._thread.wait(10_000)
    del w3  # never waited on through the worker: the hold goes with it
    qtbot.waitUntil(lambda: collector.holders() == 0, timeout=5_000)
    assert gc.isenabled()


def test_that_a_worker_deleted_with_its_screen_before_its_end_arrives_releases_the_collector(
        qtbot):
    """A screen closed right after its worker's thread ended, before the worker's queued end
    reached the GUI thread: the collector must not stay off for the rest of the session."""
    import gc

    import shiboken6
    from PySide6.QtCore import QObject

    from riskdesk import collector

    def quick():  # type: ignore[no-untyped-def]
        return None
        yield

    screen = QObject()
    w = GeneratorWorker(quick, screen)
    w.start()
    assert w._thread.wait(10_000)  # ended; no event has been processed since
    assert collector.holders() == 1 and not gc.isenabled()
    shiboken6.delete(screen)  # the screen and its worker are deleted at once
    assert collector.holders() == 0 and gc.isenabled()
    del w


def test_that_stopping_a_finished_worker_releases_the_collector_at_once(qtbot):
    from riskdesk import collector

    def quick():  # type: ignore[no-untyped-def]
        return None
        yield

    w = GeneratorWorker(quick)
    w.start()
    assert w._thread.wait(10_000) and collector.holders() == 1
    assert w.stop() and collector.holders() == 0  # shutdown() right after the end
