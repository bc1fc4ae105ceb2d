#!/usr/bin/env python3
"""PII detection: per-entity recall/precision on the generated labelled set, domain identifiers
left intact, and start-up / per-text time of the offline Presidio analyzer.

``python benchmarks/bench_pii.py [--quick] [--n N] [--seed S] [--misses]``

Recall counts a gold span as found when detections of its type that the policy acts on cover all
its letters and digits; precision counts a detection as right when it overlaps a gold span of its
type. "Tuning" uses the templates the rules were developed against; "held out" uses templates
written afterwards and never tuned on. Start-up is measured in fresh processes.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "governance"))

STARTUP = """
import time
t0 = time.perf_counter()
import presidio_analyzer  # noqa: F401
t1 = time.perf_counter()
from riskdesk.governance.pii import analyzer
analyzer.get_engine()
t2 = time.perf_counter()
analyzer.analyze("Call Kari Nordmann on +47 912 34 567", known_people=["Kari Nordmann"])
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def startup(runs: int) -> None:
    rows = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", STARTUP], capture_output=True, text=True,
                             cwd=ROOT, check=True).stdout.split()
        rows.append([float(x) for x in out])
    base = subprocess.run([sys.executable, "-c", "import time;t=time.perf_counter();"
                           "import riskdesk.governance.pii, riskdesk.governance.policy;"
                           "print(time.perf_counter()-t)"], capture_output=True, text=True,
                          cwd=ROOT, check=True).stdout
    med = [statistics.median(c) for c in zip(*rows, strict=True)]
    print(f"start-up, median of {runs} fresh processes:")
    print(f"  import riskdesk.governance.pii + policy (GUI start path): {float(base)*1e3:7.1f} ms")
    print(f"  import presidio_analyzer (+spaCy, no model):              {med[0]*1e3:7.1f} ms")
    print(f"  build the analyzer engine:                                {med[1]*1e3:7.1f} ms")
    print(f"  first analysis:                                           {med[2]*1e3:7.1f} ms")
    print(f"  total to first result:                                    {sum(med)*1e3:7.1f} ms")


def table(label: str, n: int, seed: int, held_out: bool, misses: bool) -> None:
    import pii_corpus

    from riskdesk.governance.pii.analyzer import analyze
    from riskdesk.governance.policy import apply_policy, load_policy

    pol = load_policy()

    def detect(text: str) -> list[tuple[str, int, int]]:
        fs = analyze(text, known_people=pii_corpus.KNOWN_PEOPLE, thresholds=pol.thresholds(),
                     default_threshold=pol.default.threshold)
        _, dets = apply_policy(text, fs, pol, b"bench" * 7)
        return [(d.entity_type, d.start, d.end) for d in dets if d.action != "pass"]

    samples = pii_corpus.generate(n, seed=seed, held_out=held_out)
    t0 = time.perf_counter()
    sc = pii_corpus.score(samples, detect)
    dt = time.perf_counter() - t0
    print(f"\n{label}: {len(samples)} texts, seed {seed}, policy {pol.version}, "
          f"{dt / len(samples) * 1e3:.1f} ms/text")
    print(f"  {'entity':16s} {'gold':>5s} {'recall':>7s} {'precision':>9s}")
    for t in sorted(set(sc.gold) | set(sc.predicted)):
        print(f"  {t:16s} {sc.gold.get(t, 0):5d} {sc.recall(t):7.3f} {sc.precision(t):9.3f}")
    print(f"  {'overall':16s} {sum(sc.gold.values()):5d} {sc.recall():7.3f} "
          f"{sc.precision():9.3f}")
    print(f"  PERSON names not in the gazetteer pools: {sc.person_unlisted_found}/"
          f"{sc.person_unlisted} found")
    print(f"  domain identifiers intact: {sc.domain_intact}/{sc.domain_total} = "
          f"{sc.domain_intact_share:.3f}   (goals: recall >= 0.95, PERSON >= 0.90, "
          f"intact >= 0.98)")
    if misses:
        for typ, text in sc.misses:
            print(f"    miss {typ}: {text}")
        for typ, frag in sc.false_alarms:
            print(f"    false alarm {typ}: {frag}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--misses", action="store_true", help="list misses and false alarms")
    a = ap.parse_args()
    n = 320 if a.quick else a.n
    startup(3 if a.quick else 5)
    table("tuning templates", n, a.seed, False, a.misses)
    table("held-out templates", n, a.seed + 1, True, a.misses)


if __name__ == "__main__":
    main()
