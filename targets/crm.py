"""The carnet's deals read from a CRM's export: HubSpot, Salesforce or Pipedrive, or a table
headed as PAC's own deal form in French or English. The first line holds the headers, matched to
the deal's fields; each line is then read as PAC reads a deal (targets.forms.DealLineForm), and
the preview says which deals it creates and which it updates, matched by their id in the CRM,
before anything is saved (targets.views.deals_import, targets.services.deals_import).

How a line is read:
- its id in the CRM is required: a second import of the same export updates the deals the first
  created instead of adding them again;
- an amount as French or English users write it ("12 500,50 €", "12,500.00", "12.500"): a single
  mark followed by three digits groups thousands, since an amount has two decimals at most;
- a close date as 31/12/2026, 2026-12-31 (a time after it is ignored) or a real spreadsheet date;
  a file whose dates are written month first (12/31/2026, as American exports write them) is read
  so when one of its dates can only be read that way and none only day first;
- the CRM's stage names known to PAC's stages (closed won, gagné → won at 100 %; closed lost,
  perdu → lost at 0 %), a status column (Pipedrive's "Deal - Status") deciding won and lost; a
  line without a probability takes its stage's, as the CRM's default pipeline gives it; a file
  without stages takes the stage its probability falls in; a probability written as a fraction
  (HubSpot's 0.2) is read as a percentage when the whole column is written so;
- its owner by e-mail (or by their full name, when it is unique in the team) among the managers
  and reps of the plan's team.

Nothing here writes: two queries read the team's people and the plan's deals already imported."""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pac.core.models import User
from pac.core.numbers import DECORATIONS, number_text
from pac.core.spreadsheets import (
    SPREADSHEET_ERRORS,
    header_key,
    is_blank,
    missing_columns,
    unknown_columns,
)
from pac.core.text import one_line, plain
from targets import forms  # which reads the exports through this module
from targets.models import Deal

# Each field the import reads → the headers that give it, the preferred first: when an export has
# two of them (an owner's name and their e-mail), the first is read and the other left aside.
HEADERS = {
    "external_id": [
        "Record ID",  # HubSpot
        "Deal ID",
        "Opportunity ID",  # Salesforce
        "Deal - ID",  # Pipedrive
        "ID",
        "External ID",
        "Identifiant CRM",
        "Identifiant",
        "Id externe",
        "Référence CRM",
    ],
    "company": [
        "Associated Company",
        "Company",
        "Company name",
        "Account Name",
        "Account",
        "Deal - Organization",
        "Deal - Organisation",
        "Organization",
        "Organisation",
        "Société",
        "Entreprise",
        "Client",
        "Compte",
    ],
    "contact": [
        "Associated Contact",
        "Contact",
        "Contact Name",
        "Primary Contact",
        "Deal - Contact person",
        "Contact person",
        "Interlocuteur",
        "Contact principal",
    ],
    "nature": [
        "Deal Name",
        "Opportunity Name",
        "Deal - Title",
        "Deal title",
        "Nature",
        "Product",
        "Produit",
        "Affaire",
        "Nom de l'affaire",
        "Opportunité",
        "Nom de l'opportunité",
    ],
    "amount": ["Amount", "Deal - Value", "Value", "Montant", "Valeur"],
    "probability": [
        "Deal probability",
        "Probability",
        "Deal - Probability",
        "Probabilité",
        "Probabilité de gain",
    ],
    "stage": ["Deal Stage", "Stage", "Deal - Stage", "Étape", "Étape de la vente", "Phase"],
    "status": ["Deal - Status", "Status", "Statut", "Deal status"],
    "milestone_date": [
        "Close Date",
        "Deal - Expected close date",
        "Expected close date",
        "Date de clôture",
        "Date de clôture prévue",
        "Date jalon",
        "Échéance",
    ],
    "owner": [
        "Deal owner email",
        "Owner email",
        "Opportunity Owner Email",
        "Deal - Owner email",
        "E-mail du responsable",
        "Deal owner",
        "Opportunity Owner",
        "Deal - Owner",
        "Owner",
        "Responsable",
        "Propriétaire",
        "Commercial",
    ],
}
# The fields of Deal that PAC's own headers name by its verbose name, in each language.
OWN_HEADERS = [
    "external_id",
    "company",
    "contact",
    "nature",
    "amount",
    "probability",
    "stage",
    "milestone_date",
    "owner",
]
LABELS = {
    "external_id": gettext_lazy("CRM id"),
    "company": gettext_lazy("Company"),
    "contact": gettext_lazy("Contact"),
    "nature": gettext_lazy("Nature (product)"),
    "amount": gettext_lazy("Amount"),
    "probability": gettext_lazy("Probability"),
    "stage": gettext_lazy("Stage"),
    "status": pgettext_lazy("of a deal in a CRM: open, won or lost", "Status"),
    "milestone_date": gettext_lazy("Close date"),
    "owner": gettext_lazy("Owner"),
}
REQUIRED = ["external_id", "company", "amount", "milestone_date", "owner"]
# The fields an import writes when the file gives them; the others of a deal it updates stay.
WRITTEN = ["company", "contact", "nature", "amount", "probability", "stage", "milestone_date"]

S = Deal.Stage
# A CRM's stage name (by header_key) → PAC's stage and the probability the CRM's default
# pipeline gives it (None: the stage's own, STAGE_PROBABILITY).
STAGES = {
    # HubSpot's default sales pipeline, by label and by internal name.
    "appointment scheduled": (S.LEAD, 20),
    "appointmentscheduled": (S.LEAD, 20),
    "qualified to buy": (S.QUALIFIED, 40),
    "qualifiedtobuy": (S.QUALIFIED, 40),
    "presentation scheduled": (S.QUALIFIED, 60),
    "presentationscheduled": (S.QUALIFIED, 60),
    "decision maker bought in": (S.NEGOTIATION, 80),
    "decisionmakerboughtin": (S.NEGOTIATION, 80),
    "contract sent": (S.NEGOTIATION, 90),
    "contractsent": (S.NEGOTIATION, 90),
    "closed won": (S.WON, 100),
    "closedwon": (S.WON, 100),
    "closed lost": (S.LOST, 0),
    "closedlost": (S.LOST, 0),
    # Salesforce's default opportunity stages.
    "prospecting": (S.LEAD, 10),
    "qualification": (S.QUALIFIED, 10),
    "needs analysis": (S.QUALIFIED, 20),
    "value proposition": (S.QUALIFIED, 50),
    "id decision makers": (S.QUALIFIED, 60),
    "perception analysis": (S.QUALIFIED, 70),
    "proposal price quote": (S.PROPOSAL, 75),
    "negotiation review": (S.NEGOTIATION, 90),
    # Pipedrive's default pipeline (won and lost are its status column).
    "lead in": (S.LEAD, None),
    "contact made": (S.LEAD, None),
    "demo scheduled": (S.QUALIFIED, None),
    "proposal made": (S.PROPOSAL, None),
    "negotiations started": (S.NEGOTIATION, None),
    # Common names, in English and French.
    "new": (S.LEAD, None),
    "prospect": (S.LEAD, None),
    "piste": (S.LEAD, None),
    "nouveau": (S.LEAD, None),
    "nouvelle": (S.LEAD, None),
    "decouverte": (S.QUALIFIED, None),
    "qualifie": (S.QUALIFIED, None),
    "qualifiee": (S.QUALIFIED, None),
    "analyse des besoins": (S.QUALIFIED, None),
    "proposal": (S.PROPOSAL, None),
    "quote sent": (S.PROPOSAL, None),
    "proposition": (S.PROPOSAL, None),
    "proposition envoyee": (S.PROPOSAL, None),
    "devis": (S.PROPOSAL, None),
    "devis envoye": (S.PROPOSAL, None),
    "negotiation": (S.NEGOTIATION, None),
    "negociation": (S.NEGOTIATION, None),
    "contrat envoye": (S.NEGOTIATION, None),
    "won": (S.WON, 100),
    "gagne": (S.WON, 100),
    "gagnee": (S.WON, 100),
    "signe": (S.WON, 100),
    "lost": (S.LOST, 0),
    "perdu": (S.LOST, 0),
    "perdue": (S.LOST, 0),
}
# The probability of each of PAC's stages, for a stage named without one.
STAGE_PROBABILITY = {
    S.LEAD: 10,
    S.QUALIFIED: 25,
    S.PROPOSAL: 50,
    S.NEGOTIATION: 75,
    S.WON: 100,
    S.LOST: 0,
}
# A status column (Pipedrive's "Deal - Status"): won and lost decide the stage, open says nothing.
STATUSES = {"won": S.WON, "gagne": S.WON, "gagnee": S.WON, "lost": S.LOST, "perdu": S.LOST}
STATUSES |= {"perdue": S.LOST}

# Without a stage, the stage a probability falls in (its lowest probability).
BANDS = [(75, S.NEGOTIATION), (50, S.PROPOSAL), (20, S.QUALIFIED), (0, S.LEAD)]

ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?")
NUMERIC_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: .*)?")
# "12,500" or "12.500": thousands, for an amount has two decimals at most.
THOUSANDS = re.compile(r"[+-]?\d{1,3}[.,]\d{3}")
PLAIN_NUMBER = re.compile(r"-?\d{1,15}(\.\d+)?")
EMAIL = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+\.[^\s<>()\[\],;:\"']+")


def accepted_headers():
    """Each header key → (the field it names, its rank among that field's headers)."""
    names = {name: list(headers) for name, headers in HEADERS.items()}
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            for name in OWN_HEADERS:
                names[name].append(str(Deal._meta.get_field(name).verbose_name))
                names[name].append(str(LABELS[name]))
            names["status"].append(str(LABELS["status"]))
    keys = {}
    for name, headers in names.items():
        for rank, header in enumerate(headers):
            keys.setdefault(header_key(header), (name, rank))
    return keys


def recognised_headers():
    """The CRM headers the page lists, by field."""
    return [(LABELS[name], HEADERS[name]) for name in HEADERS]


@dataclass
class Column:
    name: str
    index: int
    header: str
    label: str
    rank: int


@dataclass
class Line:
    """A line of the export under the headers."""

    number: int  # in the spreadsheet, the headers' line being 1
    cells: dict  # field → its text as read
    values: dict | None = None  # what the service takes, when the line is right
    deal: Deal | None = None  # the deal it updates
    errors: list = field(default_factory=list)

    @property
    def updates(self):
        return self.deal is not None

    @property
    def stage_label(self):
        return S(self.values["stage"]).label if self.values else ""


@dataclass
class Preview:
    columns: list
    lines: list
    unknown_columns: list

    @property
    def fields(self):
        """The deal's fields the file gives, which an update writes."""
        # A stage, a probability or a status: the import sets both (columns_of).
        given = {column.name for column in self.columns} | {"stage", "probability"}
        return [name for name in WRITTEN if name in given] + ["owner"]

    @property
    def wrong_lines(self):
        return [line for line in self.lines if line.errors]

    @property
    def valid(self):
        return bool(self.lines) and not self.wrong_lines

    @property
    def created(self):
        return [line for line in self.lines if not line.updates]

    @property
    def updated(self):
        return [line for line in self.lines if line.updates]

    def rows_data(self):
        return [line.values for line in self.lines]

    def content(self):
        """The table as tab-separated text, as it was read: what the confirmation sends back,
        read again without the file."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow([column.header for column in self.columns])
        for line in self.lines:
            writer.writerow([line.cells[column.name] for column in self.columns])
        return out.getvalue()


def columns_of(headers):
    """The columns the header line gives the deal's fields, and the headers it leaves aside; a
    ValidationError when a column the import needs is missing."""
    keys = accepted_headers()
    found, unknown = {}, []
    for index, header in enumerate(headers):
        if is_blank(header):
            continue
        text = plain(header, multiline=False)
        name, rank = keys.get(header_key(text), (None, None))
        if name is None:
            unknown.append(text)
            continue
        column = Column(name, index, text, str(LABELS[name]), rank)
        if name not in found or rank < found[name].rank:
            if name in found:
                unknown.append(found[name].header)
            found[name] = column
        else:
            unknown.append(text)
    missing = [str(LABELS[name]) for name in REQUIRED if name not in found]
    if not found.keys() & {"stage", "probability", "status"}:
        missing.append(
            _("%(stage)s or %(probability)s")
            % {
                "stage": LABELS["stage"],
                "probability": LABELS["probability"],
            }
        )
    if missing:
        problems = [missing_columns(missing)]
        if unknown:
            problems.append(unknown_columns(unknown))
        raise ValidationError(problems)
    order = list(HEADERS)
    return sorted(found.values(), key=lambda column: order.index(column.name)), unknown


CENT = Decimal("0.01")
# The preview sends its lines back to be confirmed, in one request whose body Django bounds
# (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB): a CRM's line, encoded, stays far under 1 KB.
MAX_LINES = 2000


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, float) and abs(value) < 1e15:
        # A computed cell (=B2*0.3) holds 3750.0000000001 where the sheet shows 3 750,00; to the
        # cent, as PAC keeps amounts, so that 35.175 is not read as 35 175 (amount_text).
        value = format(Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP), "f")
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    # A name wrapped over two lines in its cell is still one name.
    return " ".join(str(value).split())


def amount_text(text):
    bare = DECORATIONS.sub("", text)
    if THOUSANDS.fullmatch(bare):
        return re.sub(r"[.,]", "", bare)
    return number_text(text, 2)


def number(text):
    """The number a cell holds, or None: written with digits, not 1e999 nor NaN."""
    digits = number_text(text, 4)
    return Decimal(digits) if PLAIN_NUMBER.fullmatch(digits) else None


def months_first(texts):
    """Whether the file writes its dates month first: one of them can only be read so (12/31),
    and none only day first (31/12)."""
    day_first = month_first = False
    for text in texts:
        match = NUMERIC_DATE.fullmatch(text)
        if match:
            first, second = int(match[1]), int(match[2])
            day_first |= first > 12
            month_first |= second > 12
    return month_first and not day_first


def read_date(text, month_first):
    """The date written, as ISO text; None when it is not one."""
    match = ISO_DATE.fullmatch(text)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        match = NUMERIC_DATE.fullmatch(text)
        if match:
            day, month = (match[2], match[1]) if month_first else (match[1], match[2])
            return date(int(match[3]), int(month), int(day)).isoformat()
    except ValueError:
        return None
    return None


def fractions(texts):
    """Whether the probabilities are written as fractions (0.2 for 20 %): all of them from 0
    to 1, one at least between."""
    values = [number(text) for text in texts if text]
    values = [value for value in values if value is not None]
    return any(0 < value < 1 for value in values) and all(0 <= value <= 1 for value in values)


def percentage(text, as_fraction):
    """The probability as the form reads it: a whole percentage, or the text as it is for the
    form to refuse."""
    value = number(text)
    if value is None:
        return text
    if as_fraction:
        value *= 100
    return format(value.quantize(Decimal(1), rounding=ROUND_HALF_UP), "f")


def own_stages():
    """PAC's stages by their value and their label in every language."""
    own = {header_key(value): value for value in S.values}
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            own |= {header_key(label): value for value, label in S.choices}
    return own


def stage_of(cells, as_fraction):
    """(stage, probability text) of a line, or a ValidationError with the reason."""
    stage_text, status = cells.get("stage", ""), header_key(cells.get("status", ""))
    probability = percentage(cells.get("probability", ""), as_fraction)
    known = STAGES.get(header_key(stage_text)) or STAGES.get(
        header_key(stage_text).replace(" ", "")
    )
    own = own_stages()
    if known is None and header_key(stage_text) in own:
        known = (own[header_key(stage_text)], None)
    stage, default = known or (None, None)
    if status in STATUSES:
        stage, default = STATUSES[status], None
    if stage is None:
        if stage_text and not probability:
            raise ValidationError(
                _(
                    "The stage “%(stage)s” is not one PAC knows: give the line a probability, "
                    "or name one of its stages (%(stages)s)."
                )
                % {"stage": stage_text, "stages": ", ".join(str(label) for label in S.labels)}
            )
        if not probability:
            raise ValidationError(_("Give the deal a stage or a probability."))
        value = number(probability)
        stage = next((s for low, s in BANDS if value is not None and value >= low), S.LEAD)
    if stage in (S.WON, S.LOST):
        probability = str(STAGE_PROBABILITY[stage])
    elif not probability:
        probability = str(STAGE_PROBABILITY[stage] if default is None else default)
    return stage, probability


class People:
    """The managers and reps of the plan's team, found by e-mail or by full name."""

    def __init__(self, plan):
        self.by_email, self.by_name = {}, {}
        for person in User.objects.working_on(plan.team_id):
            if person.email:
                self.by_email.setdefault(person.email.casefold(), []).append(person)
            self.by_name.setdefault(header_key(person.get_full_name()), []).append(person)

    def find(self, text):
        """The person, or a ValidationError saying why not."""
        if not text:
            raise ValidationError(_("Give the deal's owner, by their e-mail."))
        email = EMAIL.search(text)
        if email:
            found = self.by_email.get(email[0].casefold(), [])
            if not found:
                raise ValidationError(
                    _("No manager or rep of this team has the e-mail %(email)s.")
                    % {"email": email[0]}
                )
        else:
            found = self.by_name.get(header_key(text), []) if header_key(text) else []
            if len(found) != 1:
                raise ValidationError(
                    _(
                        "“%(name)s” is not the name of one manager or rep of this team: give "
                        "the owner's e-mail."
                    )
                    % {"name": text}
                )
        if len(found) > 1:
            raise ValidationError(
                _("Several people of this team have the e-mail %(email)s: give the deal another.")
                % {"email": email[0]}
            )
        return found[0]


def add_error(line, name, message):
    label = LABELS.get(name)
    line.errors.append(
        _("%(label)s: %(message)s") % {"label": label, "message": message} if label else message
    )


def line_of(plan, number, cells, people, existing, month_first, as_fraction):
    # Shown cleaned; a cell holding what no text of PAC may hold (a control character, a
    # direction mark left open) is a line error, whichever column it is in.
    shown = {name: plain(text, multiline=False) for name, text in cells.items()}
    line = Line(number=number, cells=shown)
    data = {name: cells.get(name, "") for name in ("external_id", "company", "contact", "nature")}
    # What is already reported: the form's own error there would repeat it.
    reported = set()
    for name, text in cells.items():
        try:
            one_line(text)
        except ValidationError as refusal:
            add_error(line, name, refusal.messages[0])
            reported.add(name)
    failed = [name for name, text in cells.items() if text.upper() in SPREADSHEET_ERRORS]
    for name in failed:
        add_error(
            line,
            name,
            _("This cell holds a spreadsheet error (%(error)s): correct it in the spreadsheet.")
            % {"error": cells[name]},
        )
    data["amount"] = amount_text(cells.get("amount", ""))
    day = cells.get("milestone_date", "")
    data["milestone_date"] = read_date(day, month_first) if day else ""
    if data["milestone_date"] is None:
        add_error(
            line,
            "milestone_date",
            _("%(value)s is not a date: write it 31/12/2026 or 2026-12-31.") % {"value": day},
        )
        data["milestone_date"] = ""
        reported.add("milestone_date")
    try:
        data["stage"], data["probability"] = stage_of(cells, as_fraction)
    except ValidationError as error:
        add_error(line, "stage", error.messages[0])
        data["stage"], data["probability"] = "", ""
        reported |= {"stage", "probability"}
    owner = None
    try:
        owner = people.find(cells.get("owner", ""))
    except ValidationError as error:
        add_error(line, "owner", error.messages[0])
    form = forms.DealLineForm(data=data, plan=plan)
    valid = form.is_valid()
    for name, messages in form.errors.items():
        if name in reported:
            continue
        for message in messages:
            add_error(line, name if name in LABELS else None, message)
    if valid and not line.errors:
        line.values = form.cleaned_data | {"owner": owner}
        line.values.pop("version", None)
        line.deal = existing.get(line.values["external_id"])
    return line


def preview(plan, rows):
    """What importing `rows` (the first filled one the headers) would create and update in the
    plan's carnet, each line with its values or its errors; a ValidationError when the headers do
    not give the deal's columns, or nothing lies under them."""
    filled = [index for index, row in enumerate(rows) if row]
    if not filled:
        raise ValidationError(_("Nothing to import: the file is empty."), code="empty")
    start = filled[0]
    columns, unknown = columns_of(rows[start])
    read = []
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        if all(is_blank(row[c.index]) for c in columns if c.index < len(row)):
            continue
        # Every field, those the export does not give empty.
        cells = dict.fromkeys(HEADERS, "") | {
            column.name: cell_text(row[column.index] if column.index < len(row) else None)
            for column in columns
        }
        read.append((number, cells))
    if not read:
        raise ValidationError(_("The table has headers but no line under them."), code="no_rows")
    if len(read) > MAX_LINES:
        raise ValidationError(
            _("This export has more than %(count)s deals: import it in parts of %(count)s at most.")
            % {"count": number_format(MAX_LINES, force_grouping=True)},
            code="too_long",
        )
    month_first = months_first(cells.get("milestone_date", "") for _number, cells in read)
    as_fraction = fractions(cells.get("probability", "") for _number, cells in read)
    people = People(plan)
    existing = {deal.external_id: deal for deal in plan.deals.exclude(external_id="")}
    lines, seen = [], {}
    for number, cells in read:
        line = line_of(plan, number, cells, people, existing, month_first, as_fraction)
        if line.values:
            key = line.values["external_id"]
            if key in seen:
                add_error(
                    line,
                    "external_id",
                    _("Already given on line %(line)s.") % {"line": seen[key]},
                )
                line.values = None
            else:
                seen[key] = number
        lines.append(line)
    return Preview(columns=columns, lines=lines, unknown_columns=unknown)
