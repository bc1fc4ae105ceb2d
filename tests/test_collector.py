"""The shared pause of the cyclic garbage collector: overlapping holders never switch it back on
under each other, and it comes back exactly as it was."""

from __future__ import annotations

import gc
import threading

from riskdesk import collector


def test_that_the_collector_runs_again_only_when_the_last_holder_resumes() -> None:
    assert gc.isenabled() and collector.holders() == 0
    collector.pause()  # e.g. a simulation starts
    with collector.paused():  # the detector loads meanwhile and finishes first
        assert not gc.isenabled()
    assert not gc.isenabled()  # the simulation still holds it
    collector.resume()
    assert gc.isenabled() and collector.holders() == 0


def test_that_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_that_an_extra_resume_does_nothing() -> None:
    collector.resume()
    assert gc.isenabled() and collector.holders() == 0


def test_that_a_hold_is_released_once_whoever_asks() -> None:
    hold = collector.Hold()
    hold.take()
    hold.take()  # taking twice is still one hold
    other = collector.Hold()
    other.take()
    hold.release()
    hold.release()  # the second release must not free the other holder's pause
    assert not gc.isenabled() and collector.holders() == 1
    other.release()
    assert gc.isenabled() and collector.holders() == 0


def test_that_holders_in_many_threads_balance() -> None:
    start = threading.Barrier(8)

    def work() -> None:
        start.wait()
        for _ in range(200):
            with collector.paused():
                pass

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert gc.isenabled() and collector.holders() == 0


def test_that_freezing_on_resume_moves_live_objects_out_of_later_collections() -> None:
    before = gc.get_freeze_count()
    try:
        keep = [[i] for i in range(1000)]
        with collector.paused(freeze=True):
            pass
        assert gc.get_freeze_count() >= before + 1000 and keep
    finally:
        gc.unfreeze()
