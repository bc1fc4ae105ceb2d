"""A labelled set of risk-register texts for PII evaluation, generated from a seed.

``generate(n, seed)`` returns ``Sample``s with gold spans for personal data (``pii``) and for
domain identifiers that must survive (``domain``). Names come from their own pools (one in four
absent from the recogniser's gazetteers), phone numbers are valid numbers of many regions made
with ``phonenumbers``, cards pass Luhn, IBANs pass mod-97. Templates use a mix of phrasings:
some with the cue words the recogniser knows, many without.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

import phonenumbers

# (given names, surnames) per country; the second tuple of each pair are names the
# recogniser's gazetteers do not list
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "NO": (("Kari", "Ingrid", "Espen", "Håkon", "Solveig", "Øyvind", "Sigrid", "Eirik"),
           ("Tormod", "Gudbrand", "Sølvi", "Torgeir", "Ragnvald"),
           ("Hansen", "Johansen", "Haugland", "Solheim", "Bakke", "Myklebust"),
           ("Vassbotn", "Fjeldstad", "Rørvik", "Tjelta", "Skjæveland", "Haugsdal")),
    "SE": (("Johan", "Linnéa", "Mattias", "Karin", "Björn"), ("Sixten", "Ylva", "Torsten"),
           ("Lindqvist", "Andersson", "Bergström", "Nyström"), ("Wahlgren", "Sundqvist", "Öberg")),
    "DK": (("Søren", "Mette", "Rasmus", "Pernille"), ("Bjarke", "Ditte"),
           ("Mortensen", "Østergaard", "Laursen"), ("Kjærgaard", "Vestergaard")),
    "FI": (("Jukka", "Päivi", "Tuomas", "Riikka"), ("Ilkka", "Tarja"),
           ("Virtanen", "Korhonen", "Heikkilä"), ("Räsänen", "Kettunen")),
    "UK": (("Alistair", "Fiona", "Gareth", "Siobhan", "Hamish", "Rhiannon", "Rupert"),
           ("Rhodri", "Perpetua", "Crispin"),
           ("MacLeod", "Fraser", "Pemberton" if False else "Robertson", "Davies", "O'Connor"),
           ("Pemberton", "Ashworth", "Featherstone", "Cholmondeley")),
    "US": (("Tyler", "Brittany", "Garrett", "Shelby", "Dustin"), ("Bryce", "Kaylee"),
           ("Washington", "Crawford", "Hicks"), ("Broussard", "Thibodeaux", "Landry")),
    "NG": (("Ngozi", "Chinedu", "Oluwaseun", "Abubakar", "Yetunde", "Ifeanyi"),
           ("Chidinma", "Tochukwu", "Oluwadamilare", "Nneka"),
           ("Okafor", "Adeyemi", "Balogun", "Nwachukwu", "Danjuma"),
           ("Okwuosa", "Adeniyi", "Olatunji", "Nwankwo", "Ekpenyong")),
    "IN": (("Priya", "Rajesh", "Ananya", "Karthik", "Sunita", "Vikram"),
           ("Venkataraman", "Lalitha", "Harpreet"),
           ("Sharma", "Iyer", "Reddy", "Kulkarni"),
           ("Raghunathan", "Chakraborty", "Deshpande", "Bhattacharya")),
    "BR": (("João", "Fernanda", "Rodrigo", "Letícia", "Thiago"), ("Thaís", "Rogério", "Cláudio"),
           ("Silva", "Oliveira", "Carvalho", "Araújo"), ("Figueiredo", "Magalhães", "Albuquerque")),
    "AR": (("Mohammed", "Fatima", "Khalid", "Noura", "Tariq"), ("Abdulmajeed", "Nawaf", "Ghada"),
           ("Al-Qahtani", "Al-Harthy", "Haddad", "Mansour"), ("Al-Shammari", "Al-Kuwari", "Bukhatir")),
    "NL": (("Jeroen", "Femke", "Maarten"), ("Sjoerd", "Wouter"),
           ("de Vries", "van Dijk", "Bakker"), ("van der Linden", "Hoekstra")),
}
CHINESE = (("Wang", "Zhang", "Liu", "Chen"), ("Qian", "Kong", "Gu"),
           ("Wei", "Jing", "Ming", "Lei"), ("Xiuying", "Guoqiang", "Zhiqiang"))
KNOWN_PEOPLE = ("Kari Nordmann", "Ola Hansen", "Brian Crawford", "Adaeze Okonkwo",
                "Anjali Menon", "lars.eide", "Marta Fernández")
DOMAINS = ("equinor.com", "akerbp.com", "vaarenergi.no", "shell.com", "bp.com", "gmail.com",
           "outlook.com", "hotmail.no", "online.no", "yahoo.co.uk", "btinternet.com",
           "petrobras.com.br", "nnpcgroup.com", "ongc.co.in", "aramco.com", "qq.com", "163.com",
           "mail.ru", "subsea7.com", "wood-plc.com", "contractor.no", "landbruk.no",
           "farm-lease.co.uk", "t-online.de", "orange.fr", "adnoc.ae", "ukr.net", "icloud.com")
PHONE_REGIONS = ("NO", "SE", "DK", "FI", "GB", "US", "NG", "IN", "BR", "AE", "SA", "QA", "NL",
                 "DE", "CN", "MY", "AU", "CA", "IE", "FR")
FIELDS = ("Johan Sverdrup", "Edvard Grieg", "Ivar Aasen", "Troll", "Oseberg", "Gullfaks",
          "Schiehallion", "Clair Ridge", "Forties", "Bonga", "Egina", "Búzios", "Mero", "Tupi",
          "Thunder Horse", "Mad Dog", "Kristin", "Maria", "Martin Linge", "Aasta Hansteen",
          "Gina Krog", "Ekofisk", "Mars")
EQUIPMENT = ("Gas Export Pipeline", "Main Power Generator", "Heavy Lift Vessel",
             "Emergency Shutdown System", "Water Injection Pump", "Living Quarters Module",
             "Subsea Control Module", "Riser Balcony", "Flare Tip", "Gas Turbine Generator B",
             "Produced Water Treatment", "Crude Oil Tanker", "Dynamic Positioning System")
AUTHORITIES = ("Norwegian Offshore Directorate", "Ministry of Energy", "Health and Safety "
               "Executive", "North Sea Transition Authority", "Nigerian Upstream Petroleum "
               "Regulatory Commission", "Petroleum Safety Authority", "Port of Aberdeen",
               "Stavanger Municipality", "Rogaland County Council", "Board of Directors",
               "Investment Committee", "Environmental Protection Agency", "Rio de Janeiro",
               "Port Harcourt", "Kuala Lumpur", "Abu Dhabi")
COMPANIES = ("Equinor", "Aker BP", "Aker Solutions", "Subsea7", "TechnipFMC", "Saipem",
             "Halliburton", "Baker Hughes", "Odfjell Drilling", "Transocean", "Petrobras",
             "Harbour Energy", "Wood", "Kongsberg", "DNV", "Schlumberger", "Seadrill")


@dataclass
class Sample:
    """One text; gold spans are ``(type, start, end)``, offsets into ``text``."""

    text: str
    pii: list[tuple[str, int, int]] = field(default_factory=list)
    domain: list[tuple[str, int, int]] = field(default_factory=list)
    known_names: list[bool] = field(default_factory=list)  # per PERSON: in a gazetteer pool


class _Gen:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    # --- personal data ---------------------------------------------------------------------
    def person(self) -> tuple[str, bool]:
        """A name and whether both parts come from the gazetteer-listed pools."""
        r = self.r
        if r.random() < 0.08:
            fam_k, fam_u, giv_k, giv_u = CHINESE
            fk, gk = r.random() < 0.75, r.random() < 0.75
            return f"{r.choice(fam_k if fk else fam_u)} {r.choice(giv_k if gk else giv_u)}", fk and gk
        giv_k, giv_u, sur_k, sur_u = NAMES[r.choice(list(NAMES))]
        gk, sk = r.random() < 0.75, r.random() < 0.75
        given, sur = r.choice(giv_k if gk else giv_u), r.choice(sur_k if sk else sur_u)
        if r.random() < 0.1:
            giv2 = r.choice(giv_k)
            if giv2 != given:
                given = f"{given} {giv2}"
        return f"{given} {sur}", gk and sk

    def email(self, name: str | None = None) -> str:
        r = self.r
        base = name or self.person()[0]
        parts = [re.sub(r"[^a-z]", "", p.lower().translate(str.maketrans("æøåäöüéíóúãç",
                                                                       "eoaaoueiouac")))
                 for p in base.split()]
        parts = [p for p in parts if p]
        style = r.randrange(4)
        local = (".".join(parts) if style == 0 else parts[0][0] + parts[-1] if style == 1
                 else parts[-1] + str(r.randrange(10, 99)) if style == 2 else "_".join(parts))
        return f"{local}@{r.choice(DOMAINS)}"

    def phone(self) -> str:
        r = self.r
        region = r.choice(PHONE_REGIONS)
        ex = phonenumbers.example_number_for_type(region, r.choice(
            (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)))
        if ex is None:
            ex = phonenumbers.example_number(region)
        nsn = str(ex.national_number)
        for _ in range(50):  # vary the subscriber digits, keep the number valid
            cand = nsn[:3] + "".join(str(r.randrange(10)) for _ in nsn[3:])
            num = phonenumbers.parse(f"+{ex.country_code}{cand}", None)
            if phonenumbers.is_valid_number(num):
                break
        else:
            num = ex
        fmt = r.random()
        if fmt < 0.55:
            return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        if fmt < 0.65:
            return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
        if fmt < 0.72:
            s = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            return "00" + s[1:]
        return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.NATIONAL)

    def card(self) -> str:
        r = self.r
        prefix, length = r.choice((("4", 16), ("51", 16), ("55", 16), ("37", 15), ("6011", 16)))
        digits = [int(c) for c in prefix] + [r.randrange(10) for _ in range(length - len(prefix) - 1)]
        total = 0
        for i, d in enumerate(reversed(digits)):
            if i % 2 == 0:
                d *= 2
                d -= 9 if d > 9 else 0
            total += d
        s = "".join(map(str, digits + [(10 - total % 10) % 10]))
        sep = r.choice((" ", "-", ""))
        groups = [s[i:i + 4] for i in range(0, 16, 4)] if length == 16 else [s[:4], s[4:10], s[10:]]
        return sep.join(groups)

    def iban(self) -> str:
        r = self.r
        country, bban_len, bank = r.choice((("NO", 11, ""), ("GB", 18, "NWBK"), ("DE", 18, ""),
                                            ("NL", 14, "ABNA"), ("SE", 20, ""), ("DK", 14, ""),
                                            ("FI", 14, ""), ("FR", 23, "")))
        bban = bank + "".join(str(r.randrange(10)) for _ in range(bban_len - len(bank)))
        rearranged = bban + country + "00"
        num = int("".join(str(int(c, 36)) for c in rearranged))
        iban = f"{country}{98 - num % 97:02d}{bban}"
        return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if r.random() < 0.6 else iban

    def ip(self) -> str:
        r = self.r
        if r.random() < 0.15:
            return f"2001:db8:{r.randrange(16**4):x}:{r.randrange(16**4):x}::{r.randrange(1, 999)}"
        first = r.choice((10, 172, 192, 81, 62, 145))
        return f"{first}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}"

    # --- domain identifiers ----------------------------------------------------------------
    def well(self) -> str:
        r = self.r
        return r.choice((f"{r.choice((15, 25, 34, 30, 16, 6507, 7220))}/{r.randrange(1, 12)}-"
                         f"{r.choice('ABCDEF')}-{r.randrange(1, 40)}",
                         f"{r.choice((15, 25, 34))}/{r.randrange(1, 12)}-{r.randrange(1, 30)}",
                         f"{r.choice((211, 9, 3, 16))}/{r.randrange(1, 30)}a-A{r.randrange(1, 20)}",
                         f"6507/7-A-{r.randrange(1, 20)} H"))

    def afe(self) -> str:
        return f"AFE-{self.r.randrange(2024, 2031)}-{self.r.randrange(1, 9999):04d}"

    def api(self) -> str:
        r = self.r
        return f"{r.choice((42, 17, 30, 35))}-{r.randrange(1, 999):03d}-{r.randrange(10000, 99999)}-{r.randrange(100):02d}-00"

    def cost_code(self) -> str:
        r = self.r
        return r.choice((f"CC-{r.randrange(1000, 9999)}-{r.randrange(100, 999)}",
                         f"WBS {r.randrange(1, 9)}.{r.randrange(1, 9)}.{r.randrange(1, 20)}.{r.randrange(1, 9)}",
                         f"PO 45{r.randrange(10000000, 99999999)}",
                         f"K-{r.randrange(1000, 9999)}.{r.randrange(10, 99)}"))

    def amount(self) -> str:
        r = self.r
        return r.choice((f"NOK {r.randrange(1, 99)} {r.randrange(100, 999)} 000",
                         f"USD {r.randrange(1, 90)}.{r.randrange(10)}m",
                         f"{r.randrange(100, 9000)} kUSD", f"MNOK {r.randrange(5, 900)}",
                         f"£{r.randrange(1, 99)},{r.randrange(100, 999)},000",
                         f"${r.randrange(1, 999)},{r.randrange(100, 999)}",
                         f"{r.randrange(2, 40)} MUSD"))

    def date(self) -> str:
        r = self.r
        y, m, d = r.randrange(2025, 2031), r.randrange(1, 13), r.randrange(1, 29)
        return r.choice((f"{y}-{m:02d}-{d:02d}", f"{d:02d}.{m:02d}.{y}",
                         f"{d} {('January', 'March', 'June', 'September', 'November')[m % 5]} {y}",
                         f"{m:02d}/{d:02d}/{y}"))

    def period(self) -> str:
        r = self.r
        return r.choice((f"Q{r.randrange(1, 5)} {r.randrange(2025, 2031)}", f"Q{r.randrange(1, 5)}",
                         f"H{r.randrange(1, 3)} {r.randrange(2025, 2031)}",
                         f"FY{r.randrange(25, 31)}"))

    def pvalue(self) -> str:
        return self.r.choice(("P10", "P50", "P90", "P10/P50/P90", "P90"))

    def quantity(self) -> str:
        r = self.r
        return r.choice((f"{r.randrange(5, 120)} 000 bbl/d", f"{r.randrange(10, 900)} bar",
                         f"{r.randrange(2, 60)} days", f"{r.randrange(1, 40)}%",
                         f"{r.randrange(1, 20)}.{r.randrange(10)} MSm3"))

    def licence(self) -> str:
        return f"PL{self.r.randrange(1, 1300):03d}"

    def field_name(self) -> str:
        return self.r.choice(FIELDS)

    def company(self) -> str:
        return self.r.choice(COMPANIES)

    def equipment(self) -> str:
        return self.r.choice(EQUIPMENT)

    def authority(self) -> str:
        return self.r.choice(AUTHORITIES)


PII_SLOTS = {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS"}
DOMAIN_SLOTS = {"WELL", "AFE", "API", "CODE", "AMOUNT", "DATE", "PERIOD", "PVALUE", "QTY",
                "LICENCE", "FIELD", "COMPANY", "EQUIP", "AUTH"}

# {SLOT} is filled and labelled; {KNOWN} is a workspace person (PERSON); {TITLE_PERSON} is a
# title plus a surname (only the surname is labelled)
TEMPLATES = (
    "Landowner {PERSON} objects to the flowline route near {WELL}; call on {PHONE_NUMBER}.",
    "Contact {PERSON} ({EMAIL_ADDRESS}) about {AFE} before {DATE}.",
    "{PERSON} said the {FIELD} tie-back could slip to {PERIOD}; {PVALUE} cost {AMOUNT}.",
    "Per {PERSON}, rig rates rose {QTY} since {DATE}; see {CODE}.",
    "Discussed with {PERSON} and {PERSON} at the {FIELD} review; {COMPANY} to revise {AFE}.",
    "According to {PERSON} the compressor on {WELL} needs {QTY} of downtime, {AMOUNT}.",
    "Refund for the survey was paid to card {CREDIT_CARD} by mistake; {PERSON} to reverse it.",
    "Vendor bank details changed to {IBAN_CODE}; verify with {PERSON} before paying {AMOUNT}.",
    "SCADA host {IP_ADDRESS} lost contact with {WELL} on {DATE}; {COMPANY} investigating.",
    "Mitigation owner: {PERSON}. Phone {PHONE_NUMBER}, e-mail {EMAIL_ADDRESS}.",
    "{KNOWN} will update the {PVALUE} estimate for {FIELD} in {PERIOD}.",
    "Escalated by {KNOWN} to {PERSON}; decision due {DATE}, exposure {AMOUNT}.",
    "Farmer {PERSON} claims crop damage along {LICENCE} pipeline; reach him at {PHONE_NUMBER}.",
    "{TITLE_PERSON} from {COMPANY} confirmed the jacket delivery slips {QTY}.",
    "Expert judgement from {PERSON}: {PVALUE} of {AMOUNT} for {AFE}.",
    "Ask {PERSON} for the API number {API} of the offset well.",
    "Well {API} ({WELL}) workover approved; {PERSON} signed off on {DATE}.",
    "Invoice query from {EMAIL_ADDRESS} about {CODE}; amount {AMOUNT}.",
    "Weather window risk for {FIELD} in {PERIOD}: {QTY} expected, P90 {AMOUNT}.",
    "{PERSON} and {PERSON} disagree on the {FIELD} reservoir model; workshop {DATE}.",
    "Hotel booked for {PERSON} on company card {CREDIT_CARD}, cost {AMOUNT}.",
    "Local fisherman {PERSON} ({PHONE_NUMBER}) reports nets snagged near {WELL}.",
    "Spoke with {TITLE_PERSON} of the county council; permit for {LICENCE} expected {PERIOD}.",
    "Remote access from {IP_ADDRESS} to the {COMPANY} historian blocked on {DATE}.",
    "Cost code {CODE} overspent by {AMOUNT}; {KNOWN} to explain at the {PERIOD} review.",
    "{PERSON}'s crew found corrosion on {WELL}; repair {AMOUNT}, {QTY}.",
    "Handover from {PERSON} to {PERSON} on {DATE} for {AFE}.",
    "Pay the landowner compensation to {IBAN_CODE} (account holder {PERSON}).",
    "{COMPANY} rep {PERSON} proposes to re-use the {FIELD} template; saves {AMOUNT}.",
    "Lease renewal for {LICENCE} handled by {PERSON}, {EMAIL_ADDRESS}, {PHONE_NUMBER}.",
    "Drilling delay on {WELL} of {QTY}; {PVALUE} impact {AMOUNT} in {PERIOD}.",
    "Interview notes: {PERSON} thinks the {FIELD} water cut will exceed {QTY} by {DATE}.",
    "{KNOWN} asked {PERSON} to confirm {API} and {AFE}.",
    "If the {COMPANY} strike lasts beyond {DATE}, {PVALUE} loss is {AMOUNT}.",
    "Server {IP_ADDRESS} and backup {IP_ADDRESS} hold the {FIELD} well test data.",
    "Note from {PERSON}: landowner access road closed until {DATE}.",
    "Technical query raised by {PERSON} on {CODE}; answer expected {PERIOD}.",
    "Emergency contact for {FIELD} campaign: {PERSON}, {PHONE_NUMBER}.",
    "Supplier {COMPANY} account {IBAN_CODE} flagged by finance on {DATE}.",
    "{PERSON}, {PERSON} and {KNOWN} form the {FIELD} risk panel.",
    "{EQUIP} on {FIELD} tripped twice in {PERIOD}; {PERSON} suspects the {EQUIP}.",
    "{AUTH} may not approve the {FIELD} plan before {DATE}; {KNOWN} follows up.",
    "{EQUIP} replacement quoted at {AMOUNT} by {COMPANY}; {AUTH} informed on {DATE}.",
    "Approval by the {AUTH} delayed; revised schedule from {PERSON} shows {QTY} slip.",
)

# Held out: written after the rules were tuned, never used to tune them. Different phrasing,
# few of the cue words the recogniser knows.
HELD_OUT = (
    "Got a voicemail from {PERSON} at {PHONE_NUMBER} regarding the {FIELD} access road.",
    "{PERSON} is worried the {EQUIP} lead time will push first oil past {PERIOD}.",
    "Thanks to {PERSON} for flagging the {AFE} overrun of {AMOUNT}.",
    "Minutes: {PERSON} (chair), {PERSON}, {KNOWN}. {AUTH} feedback on {LICENCE} due {DATE}.",
    "Old login from {IP_ADDRESS} used {KNOWN}'s account; IT reset it on {DATE}.",
    "Refund to {PERSON}, {IBAN_CODE}, approved for {AMOUNT} under {CODE}.",
    "Sent the {WELL} logs to {EMAIL_ADDRESS} and {EMAIL_ADDRESS} on {DATE}.",
    "{PERSON} will chase {COMPANY} on the {EQUIP}; {PVALUE} delay {QTY}.",
    "Sample card {CREDIT_CARD} appeared in a scanned receipt attached to {CODE}.",
    "We met the family of {PERSON} near {WELL}; their number is {PHONE_NUMBER}.",
    "{COMPANY} replaced {PERSON} with {PERSON} as project lead on {FIELD}.",
    "Reservoir engineer {PERSON} estimates {PVALUE} reserves of {QTY} in {FIELD}.",
    # added after the first held-out measurement, again without tuning: harder negatives
    "Hammerfest LNG Train One and the Kollsnes Gas Plant share {EQUIP} spares; {KNOWN} agrees.",
    "Mongstad Crude Oil Terminal berth closed {DATE}; Sture Terminal takes the {FIELD} cargoes.",
    "{PERSON} reviewed the Bravo Field Development Plan with Group Internal Audit on {DATE}.",
    "New Zealand and South Korea yards bid for the {EQUIP}; {COMPANY} prefers Ulsan.",
    "Call-off under Frame Agreement {CODE} signed by {PERSON} for {AMOUNT}.",
    "Tananger Base Supply Vessel Schedule slipped {QTY}; ask {PERSON} at {EMAIL_ADDRESS}.",
)

# Held out, second set: written once the first held-out set had been used to tune a rule (numbers
# right after a name: "from Kari Hansen at 0412 ..."), and measured before and after that rule;
# its misses then led to the organisation-noun and bracketed-role rules (so it is seen now).
HELD_OUT_2 = (
    "Left a message for {PERSON} on {PHONE_NUMBER} about the {FIELD} noise complaint.",
    "{PERSON} (landowner, {PHONE_NUMBER}) refuses access until the {LICENCE} survey is redone.",
    "Site visit with {KNOWN}: the tenant, {PERSON}, can be reached on {PHONE_NUMBER} after six.",
    "Whistle-blower hotline logged a report from {EMAIL_ADDRESS} on {DATE} about {CODE}.",
    "{PERSON} moved to {COMPANY}; new mobile {PHONE_NUMBER}, old e-mail bounces.",
    "Per diem for {PERSON} went to {IBAN_CODE} twice; finance to claw back {AMOUNT}.",
    "Camera at the {FIELD} gate streams to {IP_ADDRESS}; {KNOWN} asked for a new password.",
    "Receipt shows card {CREDIT_CARD} for the {EQUIP} rental; {PERSON} to file the claim.",
    "{TITLE_PERSON}, district officer, promised the {AUTH} letter by {DATE}.",
    "Neighbour {PERSON} at {PHONE_NUMBER} says trucks use the road to {WELL} at night.",
    "{PERSON} and {PERSON} from {COMPANY} quoted {AMOUNT} for the {EQUIP}; {PVALUE} schedule {PERIOD}.",
    "Budget holder {KNOWN} approved {AFE}; {PERSON} challenges the {QTY} contingency.",
    "The {FIELD} partners meet {DATE}; dial-in {PHONE_NUMBER}, host {PERSON}.",
    "Historian export failed from {IP_ADDRESS}; see {CODE} and well {API}.",
    "{PERSON}'s estimate for {WELL}: {PVALUE} {AMOUNT}, driven by {QTY} of weather downtime.",
    "Tell {PERSON} ({EMAIL_ADDRESS}) the {LICENCE} permit moved to {PERIOD}.",
)

# Held out, third set: written before the organisation-noun and bracketed-number rules, measured
# only before and after them; never used to tune anything.
HELD_OUT_3 = (
    "{PERSON} from the {AUTH} phoned on {DATE}; call back on {PHONE_NUMBER}.",
    "Farm manager {PERSON} (tenant, {PHONE_NUMBER}) wants the {FIELD} fence moved.",
    "Insurance broker {PERSON}, {EMAIL_ADDRESS}, needs the {AFE} cost report by {DATE}.",
    "{KNOWN} booked flights for {PERSON} on card {CREDIT_CARD}; {AMOUNT} to recharge to {CODE}.",
    "{PERSON} and {KNOWN} walked the {WELL} pad; {EQUIP} corrosion worse than the {PVALUE} case.",
    "The {AUTH} wrote to {TITLE_PERSON} about {LICENCE}; reply due {PERIOD}.",
    "Retired engineer {PERSON} remembers the {FIELD} blowout; home number {PHONE_NUMBER}.",
    "Backup link {IP_ADDRESS} to {COMPANY} failed twice; {PERSON} owns the fix.",
    "Compensation for {PERSON} paid to {IBAN_CODE}; {AUTH} sign-off pending.",
    "{PERSON} thinks {COMPANY} will bid {AMOUNT} for the {EQUIP}; decision {PERIOD}.",
    "Email {EMAIL_ADDRESS} bounced; {PERSON} now uses {EMAIL_ADDRESS}.",
    "Shift supervisor {PERSON} reported {QTY} of downtime on {WELL}; see {CODE}.",
    "{PERSON}, the harbour master, can be reached at {PHONE_NUMBER} or {EMAIL_ADDRESS}.",
    "Audit of {API} and {AFE} by the {AUTH} starts {DATE}; {KNOWN} coordinates.",
    "Villagers led by {PERSON} blocked the {FIELD} access road on {DATE}.",
    "{COMPANY} invoice {CODE} for {AMOUNT} approved by {PERSON} and {PERSON}.",
)


def _fill(g: _Gen, template: str, known: tuple[str, ...]) -> Sample:
    sample = Sample("")
    out: list[str] = []
    pos = 0
    last_person: str | None = None
    for m in re.finditer(r"\{([A-Z_]+)\}", template):
        lit = template[pos:m.start()]
        out.append(lit)
        cur = sum(len(s) for s in out)
        slot = m.group(1)
        prefix = ""
        known_name = True
        if slot == "PERSON":
            value, known_name = g.person()
            last_person = value
        elif slot == "KNOWN":
            value = g.r.choice(known)
            if g.r.random() < 0.3 and " " in value:  # surname alone, as colleagues write
                value = value.split()[-1]
            slot = "PERSON"
        elif slot == "TITLE_PERSON":
            prefix = g.r.choice(("Mr ", "Mrs ", "Ms ", "Dr ", "Mr. "))
            value, known_name = g.person()
            value = value.split()[-1] if not value.split()[-1][0].islower() else value
            slot = "PERSON"
        elif slot == "EMAIL_ADDRESS":
            value = g.email(last_person if last_person and g.r.random() < 0.5 else None)
        else:
            value = {"PHONE_NUMBER": g.phone, "CREDIT_CARD": g.card, "IBAN_CODE": g.iban,
                     "IP_ADDRESS": g.ip, "WELL": g.well, "AFE": g.afe, "API": g.api,
                     "CODE": g.cost_code, "AMOUNT": g.amount, "DATE": g.date,
                     "PERIOD": g.period, "PVALUE": g.pvalue, "QTY": g.quantity,
                     "LICENCE": g.licence, "FIELD": g.field_name, "COMPANY": g.company,
                     "EQUIP": g.equipment, "AUTH": g.authority}[slot]()
        out.append(prefix + value)
        start = cur + len(prefix)
        span = (slot, start, start + len(value))
        if slot in PII_SLOTS:
            sample.pii.append(span)
            if slot == "PERSON":
                sample.known_names.append(known_name)
        else:
            sample.domain.append(span)
        pos = m.end()
    out.append(template[pos:])
    sample.text = "".join(out)
    for kind, pat in (("PVALUE", r"\bP(?:10|50|90)\b"),):  # literal domain ids in templates
        for mm in re.finditer(pat, sample.text):
            if not any(s <= mm.start() < e for _, s, e in sample.domain):
                sample.domain.append((kind, mm.start(), mm.end()))
    return sample


def generate(n: int = 360, seed: int = 20261126, held_out: bool | int = False) -> list[Sample]:
    """``n`` labelled samples, identical for the same ``seed``; ``held_out`` (True or 1, 2 or 3
    for the later sets) uses templates that were not used to tune the recogniser."""
    g = _Gen(random.Random(seed))
    pool = (HELD_OUT_3 if held_out == 3 else HELD_OUT_2 if held_out == 2 else
            HELD_OUT if held_out else TEMPLATES)
    return [_fill(g, pool[i % len(pool)] if i < len(pool) else g.r.choice(pool), KNOWN_PEOPLE)
            for i in range(n)]


@dataclass
class Scores:
    """Per-type counts: gold spans found (fully covered by same-type detections), gold total,
    detections that hit a gold span of their type, detections total; and domain ids intact."""

    found: dict[str, int] = field(default_factory=dict)
    gold: dict[str, int] = field(default_factory=dict)
    true_pos: dict[str, int] = field(default_factory=dict)
    predicted: dict[str, int] = field(default_factory=dict)
    domain_total: int = 0
    domain_intact: int = 0
    person_unlisted_found: int = 0
    person_unlisted: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)
    false_alarms: list[tuple[str, str]] = field(default_factory=list)

    def recall(self, t: str | None = None) -> float:
        f = sum(self.found.values()) if t is None else self.found.get(t, 0)
        g = sum(self.gold.values()) if t is None else self.gold.get(t, 0)
        return f / g if g else 1.0

    def precision(self, t: str | None = None) -> float:
        tp = sum(self.true_pos.values()) if t is None else self.true_pos.get(t, 0)
        p = sum(self.predicted.values()) if t is None else self.predicted.get(t, 0)
        return tp / p if p else 1.0

    @property
    def domain_intact_share(self) -> float:
        return self.domain_intact / self.domain_total if self.domain_total else 1.0


def score(samples: list[Sample], detect) -> Scores:  # type: ignore[no-untyped-def]
    """Score ``detect(text) -> [(type, start, end)]`` (the spans the policy acts on)."""
    sc = Scores()
    for s in samples:
        dets = list(detect(s.text))
        pi = 0
        for typ, a, b in s.pii:
            sc.gold[typ] = sc.gold.get(typ, 0) + 1
            covered = {i for t, x, y in dets if t == typ for i in range(max(a, x), min(b, y))}
            ok = all(i in covered for i in range(a, b) if s.text[i].isalnum())
            sc.found[typ] = sc.found.get(typ, 0) + ok
            if typ == "PERSON":
                if not s.known_names[pi]:
                    sc.person_unlisted += 1
                    sc.person_unlisted_found += ok
                pi += 1
            if not ok:
                sc.misses.append((typ, s.text))
        for t, x, y in dets:
            sc.predicted[t] = sc.predicted.get(t, 0) + 1
            hit = any(typ == t and a < y and x < b for typ, a, b in s.pii)
            sc.true_pos[t] = sc.true_pos.get(t, 0) + hit
            if not hit:
                sc.false_alarms.append((t, s.text[x:y]))
        for _kind, a, b in s.domain:
            sc.domain_total += 1
            sc.domain_intact += not any(a < y and x < b for _t, x, y in dets)
    return sc
