"""``riskdesk run list|show|verify|compare``: stored simulation runs."""

from __future__ import annotations

import argparse
import json
from typing import Any

from riskdesk.cli import add_common, emit, open_workspace


def register(sub: Any) -> None:
    p = sub.add_parser("run", help="stored simulation runs: list, show, verify, compare")
    rs = p.add_subparsers(dest="run_command", metavar="ACTION", required=True)
    a = rs.add_parser("list", help="list stored runs")
    add_common(a)
    a.set_defaults(func=cmd_list)
    a = rs.add_parser("show", help="a run's inputs, manifest and results")
    add_common(a)
    a.add_argument("run_id", type=int, metavar="RUN_ID")
    a.set_defaults(func=cmd_show)
    a = rs.add_parser("verify", help="re-run a run's manifest and compare bit for bit")
    add_common(a)
    a.add_argument("run_id", type=int, metavar="RUN_ID")
    a.add_argument("--threads", type=int, help="threads for the re-run (default: all cores)")
    a.add_argument("--chunk-size", type=int, help="paths per chunk for the re-run (default: as run)")
    a.set_defaults(func=cmd_verify)
    a = rs.add_parser("compare", help="two runs side by side with a P50/P90 waterfall")
    add_common(a)
    a.add_argument("a", type=int, metavar="RUN_A")
    a.add_argument("b", type=int, metavar="RUN_B")
    a.add_argument("--no-waterfall", action="store_true", help="skip the re-simulated steps")
    a.set_defaults(func=cmd_compare)


def _fmt(x: float) -> str:
    return f"{x:>12,.1f}"


def cmd_list(args: argparse.Namespace) -> int:
    from riskdesk.services.runs import RunsService

    with open_workspace(args) as ws:
        runs = RunsService(ws).list()
    lines = [f"{'id':>4}  {'created':<20} {'registry':<28} {'base':>5} {'post':>4} "
             f"{'iterations':>10} {'seed':>8} {'P10':>12} {'P50':>12} {'P90':>12}"]
    for r in runs:
        base = f"v{r.baseline_version}" if r.baseline_version else "-"
        lines.append(f"{r.id:>4}  {r.created_at:<20} {(r.registry_name[:22] + f' v{r.registry_version}'):<28} "
                     f"{base:>5} {'yes' if r.post_mitigation else 'no':>4} {r.iterations:>10,} "
                     f"{r.seed:>8} {_fmt(r.total['p10'])} {_fmt(r.total['p50'])} "
                     f"{_fmt(r.total['p90'])}")
    if not runs:
        lines = ["no runs yet: riskdesk simulate --workspace FILE"]
    emit(args, [r.to_dict() for r in runs], "\n".join(lines))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from riskdesk.services.runs import RunsService

    with open_workspace(args) as ws:
        st = RunsService(ws).load(args.run_id)
    i, m = st.info, st.manifest
    text = [f"run {i.id}  {i.created_at} by {i.created_by}  {i.label}".rstrip(),
            f"  registry  {i.registry_name} v{i.registry_version} ({i.registry_hash[:19]}…)",
            f"  baseline  {f'{i.baseline_name} v{i.baseline_version}' if i.baseline_name else '-'}",
            f"  deck      {_deck_text(m.get('price_deck'))}",
            f"  settings  {i.iterations:,} iterations, seed {i.seed}, {i.sampling}, "
            f"{'post' if i.post_mitigation else 'pre'}-mitigation, {i.threads} threads",
            f"  engine    {m.get('engine')} numba {m.get('numba')} numpy {m.get('numpy')}; "
            f"{m.get('timings', {}).get('total_s', 0):.2f} s",
            f"  totals ({i.units}, P10 = 10% at or below):"]
    for key, label in (("results", "EBITDA delta"), ("cash_flow", "cash-flow delta")):
        t = st.document[key]["total"]
        text.append(f"    {label:<16} P10 {_fmt(t['p10'])}  P50 {_fmt(t['p50'])}  "
                    f"P90 {_fmt(t['p90'])}  mean {_fmt(t['mean'])}")
    emit(args, {"run": i.to_dict(), "price_deck": m.get("price_deck"), "result": st.document},
         "\n".join(text))
    return 0


def _deck_text(d: object) -> str:
    if not isinstance(d, dict):
        return "-"
    return f"{d.get('name')} v{d.get('version')} ({d.get('stage')}, {str(d.get('hash', ''))[:19]}…)"


def cmd_verify(args: argparse.Namespace) -> int:
    from riskdesk.services.runs import RunsService

    with open_workspace(args) as ws:
        rep = RunsService(ws).verify(args.run_id, threads=args.threads,
                                     chunk_size=args.chunk_size)
    text = (f"run {rep.run_id}: {'IDENTICAL' if rep.identical else 'DIFFERENT'} "
            f"(re-run on {rep.threads} threads; max |difference| of path totals "
            f"{rep.max_abs_difference:.3g})\n  stored {rep.stored_hash}\n  re-run {rep.rerun_hash}")
    emit(args, rep.to_dict(), text)
    return 0 if rep.identical else 1


def cmd_compare(args: argparse.Namespace) -> int:
    from riskdesk.services.runs import RunsService

    with open_workspace(args) as ws:
        cmp = RunsService(ws).compare(args.a, args.b, waterfall=not args.no_waterfall)
    lines = [f"{'':<18}{'run ' + str(args.a):>14}{'run ' + str(args.b):>14}{'change':>14}"]
    for key, label in (("results", "EBITDA delta"), ("cash_flow", "cash-flow delta")):
        for q, (x, y) in cmp.side_by_side[key].items():
            lines.append(f"{label + ' ' + q.upper():<18}{x:>14,.1f}{y:>14,.1f}{y - x:>14,.1f}")
    if cmp.waterfall:
        lines.append(f"\nwaterfall of the EBITDA-delta total ({cmp.waterfall_iterations:,} "
                     "iterations, common random numbers):")
        for s in cmp.waterfall:
            lines.append(f"  {s['step'][:34]:<34} P50 {s['p50']:>12,.1f} ({s['d_p50']:+,.1f})"
                         f"  P90 {s['p90']:>12,.1f} ({s['d_p90']:+,.1f})")
    lines += [f"note: {n}" for n in cmp.notes]
    emit(args, json.loads(json.dumps(cmp.to_dict(), default=float)), "\n".join(lines))
    return 0
