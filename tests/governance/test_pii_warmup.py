"""Loading the PII detector: once per process, from any thread, leaving the collector on."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import gc, sys, threading
from riskdesk.governance.pii import analyzer
assert "presidio_analyzer" not in sys.modules  # importing the package loads nothing
threads = [threading.Thread(target=analyzer.warm_up) for _ in range(3)]
for t in threads: t.start()
for t in threads: t.join()
print(analyzer.is_warm(), gc.isenabled(), gc.get_freeze_count() > 0,
      analyzer.start_background_warm_up() is None,
      [f.entity_type for f in analyzer.analyze("Ring Kari Nordmann on +47 912 34 567")])
"""


def test_that_threads_load_the_detector_once_and_leave_the_collector_on() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         cwd=ROOT, env=dict(os.environ), timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split("[")[0].split() == ["True", "True", "True", "True"]
    assert "'PERSON', 'PHONE_NUMBER'" in out.stdout


def test_that_a_background_load_in_this_process_leaves_the_collector_on() -> None:
    from riskdesk.governance.pii import analyzer

    t = analyzer.start_background_warm_up()
    if t is not None:
        t.join(60)
    assert analyzer.is_warm() and analyzer.warm_error is None and gc.isenabled()
