"""``riskdesk elicit ...``: Excalibur import/export, pooling, fitting, applying, converting."""

from __future__ import annotations

import argparse
from typing import Any

from riskdesk.cli import CliError, add_common, emit, open_workspace


def register(sub: Any) -> None:
    p = sub.add_parser("elicit", help="expert elicitation: sessions, pooling, fitting")
    s = p.add_subparsers(dest="elicit_command", metavar="ELICIT_COMMAND")
    p.set_defaults(func=lambda a: (p.print_help(), 2)[1])

    c = s.add_parser("import-excalibur", help="new session from an Excalibur .dtt/.rls pair")
    c.add_argument("dtt")
    c.add_argument("rls")
    c.add_argument("--name", help="session name (default: the file name)")
    add_common(c)
    c.set_defaults(func=cmd_import)

    c = s.add_parser("export-excalibur", help="write a session as an Excalibur .dtt/.rls pair")
    c.add_argument("session", type=int)
    c.add_argument("dtt")
    c.add_argument("rls")
    add_common(c)
    c.set_defaults(func=cmd_export)

    c = s.add_parser("list", help="elicitation sessions of the workspace")
    add_common(c)
    c.set_defaults(func=cmd_list)

    c = s.add_parser("format", help="show or set how questions are answered: quantiles or "
                     "min / most likely / max (pert or triangular)")
    c.add_argument("session", type=int)
    c.add_argument("questions", nargs="*", metavar="QUESTION",
                   help="question codes (default: every question of the session)")
    c.add_argument("--as", dest="answer_as", choices=["quantiles", "pert", "triangular"],
                   help="answer format to set (without it the formats are shown)")
    add_common(c)
    c.set_defaults(func=cmd_format)

    for name, func, helptext in (("pool", cmd_pool, "pool a session's experts"),
                                 ("apply", cmd_apply, "apply a pooled question to its risk")):
        c = s.add_parser(name, help=helptext)
        c.add_argument("session", type=int)
        if name == "apply":
            c.add_argument("question", help="question code")
            c.add_argument("--family", help="distribution family (default: best fit)")
        c.add_argument("--method", choices=["cooke", "equal", "user", "log"], default="cooke")
        c.add_argument("--weights", default="global",
                       help="Cooke: global or item; user/log: comma-separated expert weights")
        g = c.add_mutually_exclusive_group()
        g.add_argument("--alpha", type=float, default=0.0, help="Cooke significance level")
        g.add_argument("--optimise", "--optimize", action="store_true",
                       help="choose alpha maximising the decision maker's combined score")
        add_common(c)
        c.set_defaults(func=func)

    c = s.add_parser("robustness", help="Cooke DM with each seed question or expert left out")
    c.add_argument("session", type=int)
    c.add_argument("--by", choices=["items", "experts"], default="items")
    c.add_argument("--weights", choices=["global", "item", "equal"], default="global")
    g = c.add_mutually_exclusive_group()
    g.add_argument("--alpha", type=float, default=None, help="fixed significance level")
    g.add_argument("--optimise", "--optimize", action="store_true",
                   help="optimise alpha for every reduced panel (the default)")
    add_common(c)
    c.set_defaults(func=cmd_robustness)

    c = s.add_parser("matrix", help="show the risk matrix, or set it from a JSON file")
    c.add_argument("--set", metavar="FILE", help="JSON with version, units, likelihood, impact")
    add_common(c)
    c.set_defaults(func=cmd_matrix)

    c = s.add_parser("fit", help="fit a distribution to quantiles")
    src = c.add_mutually_exclusive_group(required=True)
    src.add_argument("--quantiles", help="level:value pairs, e.g. 0.1:10,0.5:20,0.9:50")
    src.add_argument("--three-point", metavar="MIN,MODE,MAX",
                     help="min / most likely / max (family pert or triangular)")
    c.add_argument("--family", help="normal, lognormal, pert, triangular, uniform, loguniform, "
                   "beta, gamma, metalog (default: best fit)")
    c.add_argument("--lower", type=float, help="physical lower bound")
    c.add_argument("--upper", type=float, help="physical upper bound")
    c.add_argument("--terms", type=int, help="metalog terms")
    add_common(c)  # --workspace is accepted like everywhere, though fitting needs none
    c.set_defaults(func=cmd_fit)

    c = s.add_parser("convert", help="give a qualitative risk numbers from the risk matrix")
    c.add_argument("risk")
    c.add_argument("--impact", choices=["pert", "loguniform", "uniform"], default="pert")
    c.add_argument("--probability", choices=["midpoint", "uniform"], default="midpoint")
    c.add_argument("--opportunity", action="store_true", help="positive impact (default threat)")
    add_common(c)
    c.set_defaults(func=cmd_convert)


def _service(args: argparse.Namespace) -> Any:
    from riskdesk.services.elicitation import ElicitationService

    return ElicitationService(open_workspace(args))


def _pool_args(args: argparse.Namespace) -> dict[str, Any]:
    weights, user = args.weights, None
    if args.method in ("user", "log") and weights not in ("global", "item"):
        try:
            user = [float(x) for x in weights.split(",")]
        except ValueError:
            raise CliError(f"--weights {weights!r}: give comma-separated numbers") from None
    elif args.method == "user":
        raise CliError("--method user needs --weights W1,W2,... (one per expert)")
    elif args.method == "cooke" and weights not in ("global", "item"):
        raise CliError("--weights for Cooke is 'global' or 'item'")
    return {"method": args.method, "weights": weights if args.method == "cooke" else "equal",
            "alpha": None if args.optimise else args.alpha, "user_weights": user}


def cmd_import(args: argparse.Namespace) -> int:
    svc = _service(args)
    sid = svc.import_excalibur(args.dtt, args.rls, args.name)
    info = svc.session(sid)
    emit(args, {"session": sid}, f"session {sid}: {info.name} ({len(info.experts)} experts, "
         f"{info.questions} questions, {info.seeds} seed)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    _service(args).export_excalibur(args.session, args.dtt, args.rls)
    emit(args, {"dtt": args.dtt, "rls": args.rls}, f"wrote {args.dtt} and {args.rls}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    rows = [s.to_dict() for s in _service(args).sessions()]
    text = "\n".join(f"{r['id']:4d}  {r['status']:7s}  {r['name']}  ({len(r['experts'])} experts, "
                     f"{r['questions']} questions)" for r in rows) or "no sessions"
    emit(args, rows, text)
    return 0


def cmd_format(args: argparse.Namespace) -> int:
    svc = _service(args)
    codes = [q.code for q in svc.questions(args.session)]
    unknown = [c for c in args.questions if c not in codes]
    if unknown:
        raise CliError(f"session {args.session} has no question {', '.join(unknown)} "
                       f"(questions: {', '.join(codes) or 'none'})")
    chosen = args.questions or codes
    if args.answer_as:
        fmt, family = (("quantiles", "pert") if args.answer_as == "quantiles"
                       else ("three_point", args.answer_as))
        for code in chosen:
            svc.set_answer_format(args.session, code, fmt, family)
    rows = [{"question": q.code, "answer_format": q.answer_format,
             "three_point_family": q.three_point_family}
            for q in svc.questions(args.session) if q.code in chosen]
    emit(args, rows, "\n".join(
        f"{r['question']:20s} " + ("quantiles" if r["answer_format"] == "quantiles" else
                                   f"min / most likely / max ({r['three_point_family']})")
        for r in rows) or "no questions")
    return 0


def _fmt(x: float | None, spec: str = ".4g") -> str:
    return "-" if x is None else format(x, spec)


def cmd_pool(args: argparse.Namespace) -> int:
    out = _service(args).pool(args.session, **_pool_args(args))
    dm = out.decision_maker
    n = max([12] + [len(str(e["id"])) for e in out.experts])
    lines = [f"{'expert':{n}s} {'calibration':>12s} {'information':>12s} {'weight':>8s}"]
    lines += [f"{e['id']:{n}s} {_fmt(e['calibration']):>12s} {_fmt(e['information']):>12s} "
              f"{e['weight']:8.4f}" for e in out.experts]
    lines.append(f"{'DM':{n}s} {_fmt(dm['calibration']):>12s} {_fmt(dm['information']):>12s} "
                 f"combined {_fmt(dm['combined'])} alpha {_fmt(dm['alpha'])}")
    emit(args, {"experts": out.experts, "decision_maker": dm}, "\n".join(lines))
    return 0


def cmd_apply(args: argparse.Namespace) -> int:
    svc = _service(args)
    out = svc.pool(args.session, **_pool_args(args))
    risk = svc.apply(args.session, args.question, out, args.family)
    emit(args, risk.to_dict(), f"{risk.id}: {risk.impact.describe()} p={risk.probability:g} "
         f"({risk.source})")
    return 0


def cmd_fit(args: argparse.Namespace) -> int:
    from riskdesk.elicitation.fitting import fit, from_three_point

    if args.three_point:
        try:
            lo, mode, hi = (float(x) for x in args.three_point.split(","))
        except ValueError:
            raise CliError(f"--three-point {args.three_point!r}: expected MIN,MODE,MAX") from None
        return _print_fit(args, from_three_point(lo, mode, hi, args.family or "pert"))
    pairs: dict[float, float] = {}
    for k, item in enumerate(args.quantiles.split(",")):
        try:
            lv, val = item.split(":")
            pairs[float(lv)] = float(val)
        except ValueError:
            raise CliError(f"--quantiles item {k + 1} {item!r}: expected LEVEL:VALUE, e.g. "
                           "0.1:10") from None
    return _print_fit(args, fit(pairs, args.family, lower=args.lower, upper=args.upper,
                                terms=args.terms))


def _print_fit(args: argparse.Namespace, f: Any) -> int:
    d = f.to_distribution()
    data = {"family": f.family, "params": f.params, "error": f.error,
            "max_error": f.max_error, "feasible": f.feasible,
            "quantiles": {str(p): float(x) for p, x in zip(f.levels, f.fitted, strict=True)},
            "distribution": d.to_dict()}
    emit(args, data, f"{f.describe()}  fit error {100 * f.error:.3g}% of range; registry: "
         f"{d.describe()}")
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    risk = _service(args).convert_qualitative(args.risk, args.impact, args.probability,
                                              1.0 if args.opportunity else -1.0)
    emit(args, risk.to_dict(), f"{risk.id}: p={risk.probability:g} {risk.impact.describe()} "
         f"({risk.source})")
    return 0


def cmd_robustness(args: argparse.Namespace) -> int:
    rows = _service(args).robustness(args.session, args.by, args.weights, args.alpha)
    lines = [f"{'left out':20s} {'calibration':>12s} {'information':>12s} {'combined':>10s}"]
    lines += [f"{r['removed']:20s} {_fmt(r['calibration']):>12s} {_fmt(r['information']):>12s} "
              f"{_fmt(r['combined']):>10s}" for r in rows]
    emit(args, rows, "\n".join(lines))
    return 0


def cmd_matrix(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from riskdesk.elicitation.matrix import RiskMatrix

    svc = _service(args)
    if args.set:
        try:
            data = json.loads(Path(args.set).read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise CliError(f"{args.set}: not valid JSON ({exc})") from None
        svc.set_matrix(RiskMatrix.from_dict(data))
    m = svc.matrix().to_dict()
    emit(args, m, json.dumps(m, indent=2))
    return 0
