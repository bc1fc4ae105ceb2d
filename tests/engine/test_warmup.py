"""Loading the engine ahead of the first run (the Runs screen does it in the background)."""

from __future__ import annotations

import gc

import riskdesk.engine.warmup as warmup


def test_that_loading_the_engine_happens_once_and_leaves_the_collector_on(monkeypatch):
    monkeypatch.setattr(warmup, "_loaded", False)
    assert gc.isenabled()
    first = warmup.load_engine()
    assert first > 0 and warmup.loaded() and gc.isenabled()
    assert warmup.load_engine() == 0.0  # already loaded: nothing to do
