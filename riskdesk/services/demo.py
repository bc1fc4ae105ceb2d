"""Demo content for a new workspace: a realistic registry, a 36-month baseline and two owners."""

from __future__ import annotations

import math

from riskdesk.domain.baseline import BaselinePlan
from riskdesk.domain.distributions import Distribution
from riskdesk.domain.registry import Correlation, Registry
from riskdesk.domain.risk import Phasing, Risk
from riskdesk.services.workspace import Workspace

OWNERS = (("Ingrid Halvorsen", "ingrid.halvorsen@example.com", "Risk manager, North Sea",
           "North Sea"),
          ("Tunde Adebayo", "tunde.adebayo@example.com", "Risk manager, West Africa",
           "West Africa"))

BUS = ("North Sea", "West Africa", "LNG", "Refining")

MONTHS = 36


def _tri(a: float, m: float, b: float) -> Distribution:
    return Distribution("triangular", {"min": a, "mode": m, "max": b})


def _pert(a: float, m: float, b: float) -> Distribution:
    return Distribution("pert", {"min": a, "mode": m, "max": b})


def demo_risks() -> tuple[Risk, ...]:
    """25 risks: threats and opportunities, quantitative and qualitative, four business units."""
    I, T = OWNERS[0][0], OWNERS[1][0]  # noqa: E741
    q = "quantitative"
    rows = [
        Risk("NS-001", "Compressor trip on Alpha platform", "Recurring trips of the export "
             "compressor reduce gas sales until the spare train is commissioned.", I, "North Sea",
             "technical", "open", q, 0.45, _pert(-4200, -1800, -900), "revenue",
             Phasing.window(3, 4), 0.25, _pert(-2500, -1200, -600), 350.0,
             "Install spare seal kit; vibration monitoring"),
        Risk("NS-002", "Subsea tie-back schedule slip", "Fabrication yard capacity may delay "
             "first oil from the Beta tie-back.", I, "North Sea", "schedule", "open", q, 0.35,
             _tri(-9000, -5000, -2500), "revenue", Phasing.window(12, 6), 0.2,
             _tri(-6000, -3500, -1500), 600.0, "Second yard slot reserved"),
        Risk("NS-003", "Well intervention cost overrun", "Rig rates for light well "
             "intervention vessels are volatile.", I, "North Sea", "commercial", "open", q, 0.5,
             _pert(-2600, -1100, -400), "opex", Phasing.window(8, 3)),
        Risk("NS-004", "Infill well outperforms", "Early data suggest better reservoir "
             "connectivity than planned for well F-14.", I, "North Sea", "technical", "open", q,
             0.3, _pert(800, 2200, 5200), "revenue", Phasing.window(10, 12)),
        Risk("NS-005", "Decommissioning scope growth", "Regulator may require full removal of "
             "the Gamma jacket.", I, "North Sea", "regulatory", "open", q, 0.2,
             _tri(-15000, -8000, -5000), "capex", Phasing.window(24, 12)),
        Risk("NS-006", "Power-from-shore tariff change", "Grid tariff review could raise the "
             "electricity cost of electrified platforms.", I, "North Sea", "regulatory", "open",
             q, 0.4, Distribution("lognormal", {"mean": 1500, "sd": 700, "sign": -1}), "opex",
             Phasing.window(13, 24)),
        Risk("NS-007", "Helicopter availability", "Fleet grounding would restrict crew "
             "changes.", I, "North Sea", "HSE", "open", "qualitative", likelihood=2, severity=4),
        Risk("NS-008", "Turnaround finishes early", "Improved planning may shorten the 2028 "
             "turnaround.", I, "North Sea", "operational", "open", q, 0.35,
             Distribution("uniform", {"min": 300, "max": 1400}), "revenue", Phasing.window(18, 2)),
        Risk("WA-001", "Community access disruption", "Road blockades near the onshore "
             "terminal interrupt liftings.", T, "West Africa", "political", "open", q, 0.3,
             _pert(-7000, -2500, -1000), "revenue", Phasing.window(5, 3), 0.15,
             _pert(-4000, -1500, -600), 450.0, "Community investment programme"),
        Risk("WA-002", "FPSO mooring inspection findings", "Class inspection may require "
             "mooring chain replacement.", T, "West Africa", "technical", "open", q, 0.25,
             _tri(-12000, -6000, -3000), "capex", Phasing.window(15, 6)),
        Risk("WA-003", "Local content penalties", "New local-content rules may penalise "
             "imported services.", T, "West Africa", "regulatory", "open", q, 0.4,
             Distribution("discrete", {"values": [-500, -1500, -3000],
                                       "probs": [0.5, 0.35, 0.15]}), "opex",
             Phasing.window(6, 12)),
        Risk("WA-004", "FX devaluation on local costs", "Devaluation lowers USD cost of "
             "local-currency opex.", T, "West Africa", "market", "open", q, 0.5,
             Distribution("normal", {"mean": 900, "sd": 400}), "opex", Phasing.window(0, 36)),
        Risk("WA-005", "Gas flaring fine", "Flaring above the permit threshold attracts "
             "fines.", T, "West Africa", "HSE", "open", q, 0.3, Distribution("fixed",
                                                                             {"value": -1200}),
             "opex", Phasing.window(9, 1)),
        Risk("WA-006", "Security incident at supply base", "", T, "West Africa", "HSE", "open",
             "qualitative", likelihood=3, severity=3),
        Risk("WA-007", "Water injection uplift", "Higher injectivity supports plateau "
             "extension.", T, "West Africa", "technical", "open", q, 0.4,
             _pert(1000, 3000, 6500), "revenue", Phasing.window(14, 18)),
        Risk("LNG-001", "Train 2 feed gas shortfall", "Upstream decline may leave Train 2 "
             "under-filled.", T, "LNG", "operational", "open", q, 0.3,
             _pert(-11000, -6000, -2000), "revenue", Phasing.window(20, 9)),
        Risk("LNG-002", "Spot cargo premium", "Tight market may allow selling two cargoes at a "
             "premium.", T, "LNG", "market", "open", q, 0.35, _tri(1500, 3500, 8000),
             "revenue", Phasing.profile([11, 23], [0.5, 0.5])),
        Risk("LNG-003", "Cold box repair", "Leak in a cold box would force a train "
             "shutdown.", T, "LNG", "technical", "open", q, 0.1, _tri(-20000, -12000, -6000),
             "revenue", Phasing.window(7, 2)),
        Risk("LNG-004", "Shipping rate spike", "", T, "LNG", "market", "open", "qualitative",
             likelihood=4, severity=2),
        Risk("RF-001", "Crude slate change", "Heavier crude slate increases processing "
             "cost.", I, "Refining", "commercial", "open", q, 0.45, _pert(-3000, -1400, -500),
             "opex", Phasing.window(4, 12)),
        Risk("RF-002", "Hydrocracker catalyst early change-out", "", I, "Refining", "technical",
             "open", q, 0.3, _tri(-5000, -2800, -1500), "capex", Phasing.window(16, 2)),
        Risk("RF-003", "Crack spread upside", "Diesel cracks above plan.", I, "Refining",
             "market", "open", q, 0.4, Distribution("lognormal", {"mean": 2500, "sd": 1200,
                                                                  "sign": 1}),
             "revenue", Phasing.window(0, 12)),
        Risk("RF-004", "Emissions permit tightening", "", I, "Refining", "regulatory", "open",
             "qualitative", likelihood=3, severity=4),
        Risk("CO-001", "Cyber attack on OT network", "", I, "North Sea", "HSE", "open",
             "qualitative", likelihood=2, severity=5),
        Risk("CO-002", "Insurance premium increase", "Market hardening raises the energy "
             "package premium at renewal.", T, "LNG", "commercial", "open", q, 0.6,
             _pert(-1800, -900, -300), "opex", Phasing.window(12, 1)),
    ]
    return tuple(rows)


def demo_registry() -> Registry:
    corr = Correlation(pairs={("NS-001", "NS-003"): 0.4, ("WA-001", "WA-003"): 0.3,
                              ("LNG-001", "NS-002"): 0.5, ("RF-003", "LNG-002"): 0.35})
    return Registry(name="Group risk registry 2027-2029", units="kUSD", months=MONTHS,
                    start="2027-01", risks=demo_risks(), correlation=corr)


def demo_baseline() -> BaselinePlan:
    """A 36-month plan per business unit with a little seasonality and decline."""
    lines: dict[tuple[str, str], tuple[float, ...]] = {}
    spec = {"North Sea": (42000, 16000, 6000, -0.010), "West Africa": (35000, 12500, 5000, 0.0),
            "LNG": (52000, 21000, 3000, 0.004), "Refining": (60000, 51000, 2500, 0.0)}
    for bu, (rev, opex, capex, trend) in spec.items():
        r, o, c = [], [], []
        for m in range(MONTHS):
            season = 1.0 + 0.06 * math.cos(2 * math.pi * (m % 12) / 12.0)
            r.append(round(rev * season * (1.0 + trend) ** m, 1))
            o.append(round(opex * (1.0 + 0.002 * m), 1))
            c.append(round(capex * (1.6 if 12 <= m < 18 else 1.0), 1))
        lines[(bu, "revenue")], lines[(bu, "opex")], lines[(bu, "capex")] = (
            tuple(r), tuple(o), tuple(c))
    return BaselinePlan(name="Business plan 2027-2029", units="kUSD", start="2027-01",
                        months=MONTHS, lines=lines)


def add_demo_content(ws: Workspace) -> None:
    """Fill a new workspace: owners, registry (with a first frozen version), baseline."""
    from riskdesk.services.baseline import BaselineService
    from riskdesk.services.registry import RegistryService

    for name, email, role, bu in OWNERS:
        ws.add_person(name, email, role, bu)
    reg = RegistryService(ws)
    reg.create(demo_registry())
    base = BaselineService(ws)
    base.save_draft(demo_baseline())
    base.freeze("Demo: business plan")
    for hook in _extra_demo_hooks():
        hook(ws)
    add_demo_elicitation(ws)
    reg.freeze("Demo: initial registry")


# Calibration (seed) questions with known answers, then two target questions tied to risks.
# Values: (code, text, units, realisation or None, risk id, parameter, answers per expert 5/50/95).
_DEMO_QUESTIONS = (
    ("S1", "Days of unplanned downtime on Alpha in 2025", "days", 11.0, "", "",
     ((4, 9, 20), (6, 12, 18), (2, 5, 9))),
    ("S2", "Average rig day rate paid for light well intervention in 2025", "kUSD/d", 142.0, "",
     "", ((100, 130, 170), (120, 150, 200), (90, 115, 140))),
    ("S3", "Number of liftings from the onshore terminal in 2025", "cargoes", 38.0, "", "",
     ((30, 36, 44), (25, 40, 55), (34, 37, 40))),
    ("S4", "Months from FID to first gas for the last North Sea tie-back", "months", 31.0, "", "",
     ((24, 30, 40), (20, 26, 34), (28, 36, 48))),
    ("S5", "Catalyst change-out cost on the hydrocracker in 2024", "kUSD", 2650.0, "", "",
     ((1800, 2500, 3600), (2200, 2800, 3300), (1500, 2000, 2600))),
    ("S6", "Flaring fines paid in West Africa in 2025", "kUSD", 930.0, "", "",
     ((500, 900, 1600), (300, 700, 1200), (800, 1100, 1500))),
    ("T1", "EBITDA loss if the Beta tie-back slips (NS-002 impact)", "kUSD", None, "NS-002",
     "impact", ((-10000, -5500, -2500), (-8000, -4500, -2000), (-12000, -6000, -3000))),
    ("T2", "Chance that road blockades interrupt liftings in the plan period (WA-001)", "",
     None, "WA-001", "probability", ((0.15, 0.3, 0.5), (0.1, 0.25, 0.45), (0.2, 0.35, 0.6))),
)
DEMO_EXPERTS = ("Ingrid Halvorsen", "Tunde Adebayo", "Maria Santos")


def add_demo_elicitation(ws: Workspace) -> int:
    """A finished demo elicitation: three experts, six seed and two target questions; the
    Cooke-optimised answer to T2 is applied to WA-001 in the draft (before version 1 is frozen),
    so the registry shows where an elicited number came from."""
    from riskdesk.services.elicitation import ElicitationService, QuestionSpec

    if not any(p.name == "Maria Santos" for p in ws.people()):
        ws.add_person("Maria Santos", "maria.santos@example.com", "Drilling superintendent",
                      "North Sea")
    svc = ElicitationService(ws)
    specs = tuple(QuestionSpec(code, text, units, "UNI", real, risk_id=rid, parameter=par,
                               lower=0.0 if par == "probability" else None,
                               upper=1.0 if par == "probability" else None)
                  for code, text, units, real, rid, par, _ in _DEMO_QUESTIONS)
    sid = svc.create_session("Demo: North Sea and West Africa panel", "Ingrid Halvorsen",
                             (0.05, 0.5, 0.95), DEMO_EXPERTS, specs)
    for code, _t, _u, _r, _rid, _p, answers in _DEMO_QUESTIONS:
        for expert, vals in zip(DEMO_EXPERTS, answers, strict=True):
            svc.answer(sid, code, expert, [float(v) for v in vals],
                       rationale="Demo answer based on recent operating history.")
    # the panel's pooled view of WA-001's probability goes into the draft, linked to the session
    svc.apply(sid, "T2", svc.pool(sid, "cooke", "global", None))
    svc.set_status(sid, "closed")
    return sid


def _extra_demo_hooks() -> list:  # type: ignore[type-arg]
    """Demo content contributed by other areas (decks, assets, elicitation), when present."""
    import importlib

    hooks = []
    for mod, fn in (("riskdesk.services.decks", "add_demo_content"),
                    ("riskdesk.services.assets", "add_demo_content"),
                    ("riskdesk.services.elicitation", "add_demo_content")):
        try:
            m = importlib.import_module(mod)
        except ImportError:
            continue
        f = getattr(m, fn, None)
        if f is not None:
            hooks.append(f)
    return hooks
