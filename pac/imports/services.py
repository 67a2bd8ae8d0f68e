"""A PAC read from a spreadsheet (pac.imports.sheet) checked and created line by line through
the app's own forms and services: each target, objective, action, KPI and step is validated by
the form a manager fills in on the pages (TargetForm, ObjectiveForm, ActionForm, KpiForm,
ActionStepForm), with their messages, and created by targets.services, actions.services and
kpis.services.

The preview (`plan_import_check`) runs the whole import inside a transaction it rolls back: what
it lists is what the confirmation (`plan_import`) creates, rule for rule, and nothing is saved.
A line that fails is rolled back to its savepoint and the next lines are checked all the same,
so the preview lists every wrong line; the confirmation creates all of it or nothing."""

import re
from collections import Counter
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from actions import services as action_services
from actions.forms import ActionForm, ActionStepForm
from actions.models import Action, ActionStep
from kpis import services as kpi_services
from kpis.forms import KpiForm
from kpis.models import Kpi
from pac.core.access import ensure_can_edit_plan
from pac.core.models import Plan, User
from pac.core.spreadsheets import header_key
from pac.core.versioning import lock_version
from pac.imports.sheet import BY_NAME, name_key
from targets import services as target_services
from targets.forms import DEFAULT_MEASURE, NEW_KPI, ObjectiveForm, TargetForm
from targets.models import Objective, Target

KINDS = ("target", "objective", "action", "kpi", "step")


@dataclass
class Outcome:
    sheet: object
    counts: Counter = field(default_factory=Counter)  # kind → how many the import creates

    @property
    def wrong_lines(self):
        return [line for line in self.sheet.lines if line.errors]

    @property
    def valid(self):
        return not self.wrong_lines and any(self.counts.values())


def plan_import_check(*, actor, plan, sheet) -> Outcome:
    """What importing `sheet` would create, each line with what it creates or its errors;
    nothing is saved."""
    ensure_can_edit_plan(actor, plan)
    with transaction.atomic():
        outcome = run(actor, plan, sheet)
        transaction.set_rollback(True)
    return outcome


@transaction.atomic
def plan_import(*, actor, plan, version, sheet) -> Outcome:
    """Create what `sheet` holds, all of it or nothing (nothing when a line is wrong: the
    outcome says why). `version` is the plan's version the preview was made on: the import
    moves it on, so that a confirmation sent again, or one whose plan an import changed
    meanwhile, meets an EditConflict instead of creating twice. The plan's row stays locked
    until the import commits: a second confirmation sent at once waits for the first."""
    ensure_can_edit_plan(actor, plan)
    lock_version(plan, version)
    outcome = run(actor, plan, sheet)
    if not outcome.valid:
        transaction.set_rollback(True)
        return outcome
    Plan.objects.filter(pk=plan.pk).update(version=F("version") + 1)
    return outcome


class Refused(Exception):
    """A line holds an error: what it created goes back to its savepoint."""


def run(actor, plan, sheet):
    reading = Reading(plan)
    outcome = Outcome(sheet=sheet)
    for line in sheet.lines:
        line.errors, line.creates, line.measured = [], [], None
        try:
            with transaction.atomic():
                made = reading.line(actor, line)
                if line.errors:
                    raise Refused
        except Refused:
            reading.refused(line)
            line.creates, line.measured = [], None  # rolled back: it creates nothing
            continue
        reading.keep(made)
        outcome.counts.update(line.creates)
    return outcome


# Words that spreadsheets write for the choices of the forms, beside their labels in every
# language of PAC and their values (all compared by header_key).
TARGET_KINDS = {
    "compte": "client",
    "client": "client",
    "compte client": "client",
    "grand compte": "client",
    "segment": "segment",
    "segment de clients": "segment",
    "produit": "product",
    "service": "product",
    "offre": "product",
    "product": "product",
    "produit segment": "product_segment",
    "couple produit segment": "product_segment",
}
PRIORITIES = {
    "haute": "1",
    "elevee": "1",
    "forte": "1",
    "p1": "1",
    "moyenne": "2",
    "normale": "2",
    "p2": "2",
    "basse": "3",
    "faible": "3",
    "p3": "3",
}
OBJECTIVE_KINDS = {
    "quantitatif": "quantitative",
    "chiffre": "quantitative",
    "qualitatif": "qualitative",
}
MEASURES = {
    "montant gagne": Objective.Measure.WON_AMOUNT,
    "ca gagne": Objective.Measure.WON_AMOUNT,
    "chiffre d affaires gagne": Objective.Measure.WON_AMOUNT,
    "affaires gagnees": Objective.Measure.WON_COUNT,
    "nombre d affaires gagnees": Objective.Measure.WON_COUNT,
    "nombre de ventes": Objective.Measure.WON_COUNT,
    "indicateur": NEW_KPI,
    "kpi": NEW_KPI,
    "evaluation": DEFAULT_MEASURE,
    "appreciation": DEFAULT_MEASURE,
}
DOMAINS = {
    "information": "information",
    "informations": "information",
    "veille": "information",
    "collecte d information": "information",
    "interne": "internal",
    "developpement interne": "internal",
    "commercial": "sales",
    "commerciale": "sales",
    "action commerciale": "sales",
    "vente": "sales",
    "ventes": "sales",
}
SALES_TYPES = {
    "notoriete": "notoriety",
    "chasse": "hunting",
    "prospection": "hunting",
    "conquete": "hunting",
    "hunting": "hunting",
    "fidelisation": "farming",
    "elevage": "farming",
    "developpement": "farming",
    "farming": "farming",
}


def choices_of(choices, words):
    """header_key of each label (in every language) and value → the value."""
    keys = {header_key(word): value for word, value in words.items()}
    for code in ("fr", "en"):
        with translation.override(code):
            for value, label in choices:
                keys.setdefault(header_key(str(label)), str(value))
    for value, _label in choices:
        keys.setdefault(header_key(str(value)), str(value))
    return keys


def chosen(keys, text):
    """The value a cell names, or the text as it is, for the form to refuse as a choice."""
    return keys.get(header_key(text), text) if text else ""


PEOPLE_SEPARATORS = re.compile(r"[,;/\n]")


class People:
    """The plan team's managers and reps, found by username, full name or e-mail."""

    def __init__(self, plan):
        self.keys = {}
        for person in User.objects.working_on(plan.team_id):
            for key in {person.username, person.email, person.get_full_name(), str(person)}:
                if key:
                    self.keys.setdefault(name_key(key), set()).add(person)

    def find(self, text):
        """The one person the text names; None when it names nobody, AMBIGUOUS when it names
        several (two Jean Dupont, or a username that is someone else's name)."""
        found = self.keys.get(name_key(text), set())
        if len(found) > 1:
            return AMBIGUOUS
        return next(iter(found), None)


AMBIGUOUS = object()


class Reading:
    """What the lines read so far have created, by name (name_key): a target, objective or
    action named again later is the same one, and a target of the plan named in the sheet
    gets the sheet's objectives and actions."""

    def __init__(self, plan):
        self.plan = plan
        self.people = People(plan)
        self.targets = {name_key(target.name): target for target in plan.targets.all()}
        # The plan's own objectives, actions and steps, by name on their target: a sheet
        # imported again (or a confirmation sent again after its preview was made anew)
        # creates nothing twice.
        self.objectives = {
            ("objective", name_key(objective.target.name), name_key(objective.title)): objective
            for objective in Objective.objects.of_plan(plan).of_team().select_related("target")
        }
        self.actions = {
            ("action", name_key(action.target.name), name_key(action.title)): action
            for action in Action.objects.of_plan(plan).select_related("target")
        }
        self.steps = {
            (action_id, name_key(title))
            for action_id, title in ActionStep.objects.of_plan(plan).values_list(
                "action_id", "title"
            )
        }
        self.kpis = {
            (
                "kpi",
                "Action" if action_id else "Objective",
                action_id or objective_id,
                name_key(name),
            )
            for action_id, objective_id, name in Kpi.objects.of_plan(plan).values_list(
                "action_id", "objective_id", "name"
            )
        }
        self.failed = {}  # key → the line that failed to create it
        # key → the line that created it and the cells it gave its columns (OWN_COLUMNS)
        self.given = {}
        self.current_target = ""  # the target of the line above: a merged cell leaves it empty
        self.current_action = None  # the key of the last action named, for a line of a step
        self.pending = []
        self.target_kinds = choices_of(Target.Kind.choices, TARGET_KINDS)
        self.priorities = choices_of(Target.Priority.choices, PRIORITIES)
        self.objective_kinds = choices_of(Objective.Kind.choices, OBJECTIVE_KINDS)
        self.measures = choices_of(
            [
                (Objective.Measure.WON_AMOUNT, Objective.Measure.WON_AMOUNT.label),
                (Objective.Measure.WON_COUNT, Objective.Measure.WON_COUNT.label),
                (NEW_KPI, Objective.Measure.KPI.label),
                (DEFAULT_MEASURE, Objective.Measure.ASSESSMENT.label),
            ],
            MEASURES,
        )
        self.domains = choices_of(Action.Domain.choices, DOMAINS)
        self.sales_types = choices_of(Action.SalesType.choices, SALES_TYPES)

    # What a line created is kept once its savepoint is released.
    def keep(self, made):
        for store, key, value in made:
            store[key] = value

    def refused(self, line):
        for _store, key, _value in self.pending:
            self.failed.setdefault(key, line.number)

    def line(self, actor, line):
        self.pending = made = []
        name = line.get("target") or self.current_target
        if not line.get("target") and not self.current_target:
            error(line, "target", _("Give the target this line is on."))
            return made
        self.current_target = name
        target = self.target(actor, line, name, made)
        if target is None:
            return made
        target_key = name_key(name)
        objective = None
        if line.get("objective"):
            objective = self.objective(actor, line, target, target_key, made)
        action = None
        if line.get("action"):
            key = ("action", target_key, name_key(line.get("action")))
            self.current_action = key
            action = self.action(actor, line, target, key, objective, made)
        if line.get("kpi") and not line.errors:
            self.kpi(actor, line, action, objective, made)
        if line.get("step") and not line.errors:
            if not line.get("action"):
                # A line of a step alone: a step of the action named last, on its target.
                key = self.current_action
                if key is None or key[1] != target_key:
                    error(
                        line,
                        "step",
                        _("A step belongs to an action: name the action on this line."),
                    )
                    return made
                action = self.known(line, "action", self.actions, key)
            if action is not None:
                self.step(actor, line, action)
        if objective is not None and objective.unmeasurable and not line.errors:
            follows_it = line.get("kpi") and not line.get("action")
            if not follows_it:
                self.measure(actor, line, objective)
        return made

    def same(self, line, column, key):
        """A line naming again what an earlier line created gives it the same values, or none:
        another value is not chosen between silently."""
        if key not in self.given:
            return  # a target of the plan, or one whose line failed
        number, cells = self.given[key]
        for name, value in given(line, column)[1].items():
            if value and cells.get(name) and name_key(value) != name_key(cells[name]):
                error(
                    line,
                    name,
                    _(
                        "Line %(line)s gives “%(first)s”, this line “%(value)s”: give one value, "
                        "or leave this cell empty."
                    )
                    % {"line": number, "first": cells[name], "value": value},
                )

    def known(self, line, column, store, key):
        """What an earlier line created under `key`; None, with the reason, when it failed."""
        if key in self.failed:
            error(
                line,
                column,
                _("Line %(line)s, which names it first, holds an error.")
                % {"line": self.failed[key]},
            )
            return None
        return store.get(key)

    def person(self, line, column):
        text = line.get(column)
        if not text:
            return ""
        person = self.people.find(text)
        if person is None or person is AMBIGUOUS:
            error(line, column, unknown_person(text) if person is None else several(text))
            return ""
        return str(person.pk)

    def target(self, actor, line, name, made):
        key = name_key(name)
        if key in self.failed or key in self.targets:
            self.same(line, "target", key)
            return self.known(line, "target", self.targets, key)
        data = {
            "name": name,
            "kind": chosen(self.target_kinds, line.get("target_kind")),
            "priority": chosen(self.priorities, line.get("priority"))
            or str(Target.Priority.MEDIUM),
            "rationale": line.get("rationale"),
        }
        form = TargetForm(data, instance=Target(plan=self.plan))
        made.append((self.targets, key, None))
        target = create(
            line,
            form,
            TARGET_FIELDS,
            lambda data: target_services.target_create(
                actor=actor, plan=self.plan, data=fields_of(TargetForm, data)
            ),
        )
        if target is not None:
            made[-1] = (self.targets, key, target)
            made.append((self.given, key, given(line, "target")))
            line.creates.append("target")
        return target

    def objective(self, actor, line, target, target_key, made):
        key = ("objective", target_key, name_key(line.get("objective")))
        if key in self.failed or key in self.objectives:
            self.same(line, "objective", key)
            return self.known(line, "objective", self.objectives, key)
        kind = chosen(self.objective_kinds, line.get("objective_kind"))
        if not kind:
            figures = ("target_value", "unit", "metric")
            measured = any(line.get(name) for name in figures)
            kind = Objective.Kind.QUANTITATIVE if measured else Objective.Kind.QUALITATIVE
        data = {
            "kind": kind,
            "title": line.get("objective"),
            "metric": line.get("metric"),
            "unit": line.get("unit"),
            "baseline": line.get("baseline"),
            "target_value": line.get("target_value"),
            "deadline": line.get("deadline"),
            "owner": self.person(line, "objective_owner"),
            "measured_by": chosen(self.measures, line.get("measured_by")),
            "description": "",
        }
        form = ObjectiveForm(data, plan=self.plan, instance=Objective(target=target))
        made.append((self.objectives, key, None))
        objective = create(
            line,
            form,
            OBJECTIVE_FIELDS,
            lambda data: target_services.objective_create(
                actor=actor,
                target=target,
                data=fields_of(ObjectiveForm, data) | {"measure_kpi": data["measure_kpi"]},
            ),
        )
        if objective is not None:
            made[-1] = (self.objectives, key, objective)
            made.append((self.given, key, given(line, "objective")))
            line.creates.append("objective")
        return objective

    def action(self, actor, line, target, key, objective, made):
        if key in self.failed or key in self.actions:
            self.same(line, "action", key)
            action = self.known(line, "action", self.actions, key)
            if (
                action is not None
                and objective is not None
                and not action.objectives.filter(pk=objective.pk).exists()
            ):
                # Linking it here would change an action already read: said, not done.
                error(
                    line,
                    "objective",
                    _(
                        "The action “%(action)s” is named earlier without this objective: give "
                        "its objectives on the line that names it first."
                    )
                    % {"action": action.title},
                )
            return action
        domain = chosen(self.domains, line.get("domain"))
        sales_type = chosen(self.sales_types, line.get("sales_type"))
        kind = self.sales_types.get(header_key(domain))
        if domain not in Action.Domain.values and kind and not sales_type:
            # "Type d'action : prospection" names the kind of a sales action.
            domain, sales_type = Action.Domain.SALES, kind
        participants = []
        for text in PEOPLE_SEPARATORS.split(line.get("participants")):
            if text.strip():
                person = self.people.find(text)
                if person is None or person is AMBIGUOUS:
                    wrong = unknown_person if person is None else several
                    error(line, "participants", wrong(text.strip()))
                else:
                    participants.append(str(person.pk))
        data = {
            "title": line.get("action"),
            "target": str(target.pk),
            "domain": domain,
            "sales_type": sales_type,
            "objectives": [str(objective.pk)] if objective is not None else [],
            "description": line.get("description"),
            "means": line.get("means"),
            "owner": self.person(line, "owner"),
            "participants": participants,
            "start_date": line.get("start_date"),
            "end_date": line.get("end_date"),
            "budget_planned": line.get("budget_planned") or "0",
            "budget_actual": "0",
            "occurrences_planned": line.get("occurrences_planned"),
            "occurrences_done": "0",
            "status": Action.Status.PLANNED,
            "progress": "0",
        }
        form = ActionForm(data, plan=self.plan)
        made.append((self.actions, key, None))
        action = create(
            line,
            form,
            ACTION_FIELDS,
            lambda data: action_services.action_create(
                actor=actor,
                plan=self.plan,
                data={name: data[name] for name in action_services.SHEET_FIELDS},
                participants=data["participants"],
                objectives=data["objectives"],
            ),
        )
        if action is not None:
            made[-1] = (self.actions, key, action)
            made.append((self.given, key, given(line, "action")))
            line.creates.append("action")
        return action

    def kpi(self, actor, line, action, objective, made):
        follows = action or objective
        if follows is None:
            error(
                line,
                "kpi",
                _("An indicator follows an action or an objective: name one on this line."),
            )
            return
        key = ("kpi", type(follows).__name__, follows.pk, name_key(line.get("kpi")))
        if key in self.kpis:
            return
        unit, target_value = line.get("kpi_unit"), line.get("kpi_target")
        direction = Kpi.Direction.INCREASE
        if action is None:
            # The KPI that measures an objective counts what it counts, towards its figure.
            unit = unit or objective.unit
            target_value = target_value or (
                format(objective.target_value, "f") if objective.target_value is not None else ""
            )
            if (
                objective.baseline is not None
                and objective.target_value is not None
                and objective.target_value < objective.baseline
            ):
                direction = Kpi.Direction.DECREASE
        owner = (action.owner_id if action else objective.owner_id) or ""
        data = {
            "name": line.get("kpi"),
            "unit": unit,
            "target_value": target_value,
            "frequency": Kpi.Frequency.MONTHLY,
            "direction": direction,
            "owner": str(owner),
        }
        instance = Kpi(action=action, objective=None if action else objective)
        form = KpiForm(data, plan=self.plan, instance=instance)
        kpi = create(
            line,
            form,
            KPI_FIELDS,
            lambda data: kpi_services.kpi_create(
                actor=actor,
                action=action,
                objective=None if action else objective,
                data={name: data[name] for name in KpiForm.Meta.fields},
            ),
        )
        if kpi is not None:
            made.append((_Set(self.kpis), key, kpi))
            line.creates.append("kpi")
            if objective is not None and action is None:
                measured_now(objective)

    def measure(self, actor, line, objective):
        """The KPI of an objective measured by a KPI that the sheet gives it none: what the
        objective counts, towards its figure, as the KPI form proposes it after the objective
        form. Every objective imported can then be steered."""
        falling = (
            objective.baseline is not None
            and objective.target_value is not None
            and objective.target_value < objective.baseline
        )
        data = {
            "name": objective.metric or objective.title,
            "unit": objective.unit,
            "target_value": format(objective.target_value, "f"),
            "frequency": Kpi.Frequency.MONTHLY,
            "direction": Kpi.Direction.DECREASE if falling else Kpi.Direction.INCREASE,
            "owner": str(objective.owner_id or ""),
        }
        form = KpiForm(data, plan=self.plan, instance=Kpi(objective=objective))
        kpi = create(
            line,
            form,
            {None: "objective"},
            lambda data: kpi_services.kpi_create(
                actor=actor,
                objective=objective,
                data={name: data[name] for name in KpiForm.Meta.fields},
            ),
        )
        if kpi is not None:
            line.creates.append("kpi")
            line.measured = kpi
            measured_now(objective)

    def step(self, actor, line, action):
        key = (action.pk, name_key(line.get("step")))
        if key in self.steps:
            return  # the same step, named again
        data = {
            "title": line.get("step"),
            "owner": self.person(line, "step_owner"),
            "due_date": line.get("step_due_date"),
            "done": "",
        }
        form = ActionStepForm(data, plan=self.plan, instance=ActionStep(action=action))
        step = create(
            line,
            form,
            STEP_FIELDS,
            lambda data: action_services.step_create(actor=actor, action=action, data=data),
        )
        if step is not None:
            self.pending.append((_Set(self.steps), key, step))
            line.creates.append("step")


# The cells that describe a target, an objective or an action: a later line naming it again
# gives them the same values, or none.
OWN_COLUMNS = {
    "target": ["target_kind", "priority", "rationale"],
    "objective": [
        "objective_kind",
        "metric",
        "unit",
        "baseline",
        "target_value",
        "deadline",
        "measured_by",
        "objective_owner",
    ],
    "action": [
        "domain",
        "sales_type",
        "description",
        "means",
        "owner",
        "participants",
        "start_date",
        "end_date",
        "budget_planned",
        "occurrences_planned",
    ],
}


def given(line, entity):
    return line.number, {name: line.get(name) for name in OWN_COLUMNS[entity]}


class _Set:
    """A set written like the dicts of Reading.keep."""

    def __init__(self, items):
        self.items = items

    def __setitem__(self, key, value):
        self.items.add(key)


# Each form field → the column of the sheet its message goes beside; None for the line's own
# entity (its first column).
TARGET_FIELDS = {
    "name": "target",
    "kind": "target_kind",
    "priority": "priority",
    "rationale": "rationale",
    None: "target",
}
OBJECTIVE_FIELDS = {
    "kind": "objective_kind",
    "title": "objective",
    "metric": "metric",
    "unit": "unit",
    "baseline": "baseline",
    "target_value": "target_value",
    "deadline": "deadline",
    "owner": "objective_owner",
    "measured_by": "measured_by",
    None: "objective",
}
ACTION_FIELDS = {
    "title": "action",
    "target": "target",
    "domain": "domain",
    "sales_type": "sales_type",
    "objectives": "objective",
    "description": "description",
    "means": "means",
    "owner": "owner",
    "participants": "participants",
    "start_date": "start_date",
    "end_date": "end_date",
    "budget_planned": "budget_planned",
    "occurrences_planned": "occurrences_planned",
    None: "action",
}
KPI_FIELDS = {
    "name": "kpi",
    "unit": "kpi_unit",
    "target_value": "kpi_target",
    "owner": "owner",
    None: "kpi",
}
STEP_FIELDS = {
    "title": "step",
    "owner": "step_owner",
    "due_date": "step_due_date",
    None: "step",
}


def measured_now(objective):
    """The objective as kept by the reading, once its first KPI became its measure (kpi_create
    saves that on a copy it locks): a later line naming it again must not measure it twice."""
    objective.refresh_from_db(fields=["measure_kpi", "version"])


def fields_of(form, data):
    return {name: data[name] for name in form.Meta.fields}


def create(line, form, columns, save):
    """What `save` returns for the form's data once valid; None, with each message on the
    line beside its column, when the form or the service refuses it."""
    if not form.is_valid():
        errors = {
            name: [told(form, name, error) for error in refusals]
            for name, refusals in form.errors.as_data().items()
        }
    else:
        data = dict(form.cleaned_data)
        data.pop("once", None)
        try:
            return save(data)
        except ValidationError as refusal:
            errors = (
                refusal.message_dict
                if hasattr(refusal, "error_dict")
                else {NON_FIELD_ERRORS: refusal.messages}
            )
    for name, messages in errors.items():
        column = columns.get(name, columns[None])
        for message in messages:
            error(line, column, message)
    return None


def told(form, name, refusal):
    """A form's message, saying what a spreadsheet cell may hold where the form's own message
    cannot: the accepted values of a choice, the way to write a date."""
    field = form.fields.get(name)
    if (
        refusal.code == "invalid_choice"
        and isinstance(field, forms.ChoiceField)
        and not isinstance(field, forms.ModelChoiceField)  # people are found before the form
    ):
        accepted = [str(label) for value, label in field.choices if value not in ("", None)]
        return _("“%(value)s” is not one of the accepted values: %(accepted)s.") % {
            "value": form.data.get(name, ""),
            "accepted": ", ".join(accepted),
        }
    if refusal.code == "invalid" and isinstance(field, forms.DateField):
        # Not the value the form read: the cell's text was already turned into an ISO date.
        return _("This is not a date: write it 31/12/2026.")
    return " ".join(refusal.messages)


def error(line, column, message):
    line.errors.append(
        _("%(label)s: %(message)s") % {"label": BY_NAME[column].label, "message": message}
    )


def several(text):
    return _(
        "Several people of this plan's team are called %(name)s: give their username or e-mail."
    ) % {"name": text}


def unknown_person(text):
    return _(
        "%(name)s is not a manager or rep of this plan's team: give their username, full name "
        "or e-mail."
    ) % {"name": text}
