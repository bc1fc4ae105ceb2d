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
