"""``riskdesk simulate``: run the Monte Carlo engine on a workspace registry version or a JSON file.

Progress goes to stderr; the summary (or ``--json`` document) to stdout. With ``--workspace`` the
run is stored (see ``riskdesk run``); with ``--input`` nothing is stored and ``--output`` receives
the ``riskdesk.result/1`` document.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from riskdesk.cli import CliError, add_common, emit, open_workspace


def register(sub: Any) -> None:
    p = sub.add_parser("simulate", help="run the Monte Carlo engine (monthly EBITDA / cash flow)")
    add_common(p)
    p.add_argument("--input", type=Path, metavar="FILE",
                   help="registry JSON (riskdesk.registry/1) to run without a workspace")
    p.add_argument("--output", type=Path, metavar="FILE",
                   help="write the riskdesk.result/1 document to FILE")
    p.add_argument("--registry", metavar="NAME", help="registry in the workspace (default: first)")
    p.add_argument("--version", type=int, help="frozen registry version (default: latest)")
    p.add_argument("--baseline", type=int, metavar="V", help="baseline version (default: latest)")
    p.add_argument("--no-baseline", action="store_true", help="simulate deltas only")
    p.add_argument("--post", action="store_true", help="post-mitigation values and costs")
    p.add_argument("--iterations", "-n", type=int, help="default: the registry's")
    p.add_argument("--seed", type=int, help="default: the registry's")
    p.add_argument("--threads", type=int, help="worker threads (default: all cores)")
    p.add_argument("--sampling", choices=("lhs", "mc"), default="lhs")
    p.add_argument("--chunk-size", type=int, default=16_384)
    p.add_argument("--repair-correlation", action="store_true",
                   help="consent to replace a non-PSD correlation matrix by the nearest valid one")
    p.add_argument("--label", default="", help="a note stored with the run")
    p.add_argument("--deck", metavar="NAME[:VERSION]",
                   help="price deck the plan was made under, recorded for lineage (default "
                        "version: latest)")
    p.set_defaults(func=cmd_simulate)


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    """Engine settings from the flags; iterations/seed only when given (else the registry's)."""
    out: dict[str, Any] = {"threads": args.threads, "sampling": args.sampling,
                           "chunk_size": args.chunk_size, "post_mitigation": args.post,
                           "repair_correlation": args.repair_correlation}
    for k in ("iterations", "seed"):
        if getattr(args, k) is not None:
            out[k] = getattr(args, k)
    return out


def drive(gen: Any) -> Any:
    """Iterate an engine generator, reporting progress on stderr; returns its value."""
    tty = sys.stderr.isatty()
    last = -1
    while True:
        try:
            p = next(gen)
        except StopIteration as stop:
            if tty:
                sys.stderr.write("\n")
            return stop.value
        pct = int(100 * p.done / p.total)
        if tty:
            sys.stderr.write(f"\r  {pct:3d}%  {p.done:,}/{p.total:,} paths  {p.elapsed:.1f} s")
        elif pct // 10 != last:
            sys.stderr.write(f"  {pct}%  {p.done:,}/{p.total:,} paths\n")
            last = pct // 10
        sys.stderr.flush()


def _summary_text(doc: dict[str, Any], head: str) -> str:
    u = doc["units"]
    lines = [head]
    for key, label in (("results", "EBITDA delta"), ("cash_flow", "cash-flow delta")):
        t = doc[key]["total"]
        lines.append(f"  {label:<16} P10 {t['p10']:>12,.1f}  P50 {t['p50']:>12,.1f}  "
                     f"P90 {t['p90']:>12,.1f}  mean {t['mean']:>12,.1f} {u}")
    return "\n".join(lines)


def cmd_simulate(args: argparse.Namespace) -> int:
    if args.input and args.workspace:
        raise CliError("use either --input FILE or --workspace FILE, not both")
    if args.input:
        return _simulate_file(args)
    from riskdesk.services.runs import RunsService

    with open_workspace(args) as ws:
        runs = RunsService(ws)
        deck, deck_v = _deck_arg(args.deck)
        req = runs.request(registry_name=args.registry, version=args.version,
                           baseline_version=args.baseline, use_baseline=not args.no_baseline,
                           label=args.label, deck_name=deck, deck_version=deck_v,
                           **_settings(args))
        info = drive(runs.start(req))
        doc = runs.load(info.id).document
    if args.output:
        args.output.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    head = (f"run {info.id}: {info.registry_name} v{info.registry_version}"
            f"{f', baseline v{info.baseline_version}' if info.baseline_version else ''}"
            f"{', post-mitigation' if info.post_mitigation else ''}; {info.iterations:,} "
            f"iterations, seed {info.seed}")
    emit(args, {"run": info.to_dict(), "result": doc}, _summary_text(doc, head))
    return 0


def _deck_arg(value: str | None) -> tuple[str | None, int | None]:
    """``NAME`` or ``NAME:VERSION`` -> (name, version or None)."""
    if not value:
        return None, None
    name, sep, ver = value.rpartition(":")
    if sep and ver.isdigit() and name:
        return name, int(ver)
    return value, None


def _simulate_file(args: argparse.Namespace) -> int:
    from riskdesk.engine.driver import SimulationSettings, run_simulation
    from riskdesk.engine.result_json import result_document
    from riskdesk.io.registry_json import load_registry_json

    reg = load_registry_json(args.input)
    settings = SimulationSettings(**{"iterations": reg.iterations, "seed": reg.seed,
                                     **_settings(args)})
    result = drive(run_simulation(reg, None, settings))
    doc = result_document(result)
    if args.output:
        args.output.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    head = (f"{reg.name}: {result.iterations:,} iterations, seed {settings.seed}, "
            f"{result.manifest['threads']} threads, {result.manifest['timings']['total_s']:.2f} s"
            + (f" -> {args.output}" if args.output else ""))
    emit(args, doc, _summary_text(doc, head))
    return 0
