"""The words the door rows are written in (tests/test_doors.py, and each area's rows in
tests/doors_*.py): what each role meets at a door, how a door builds its address and its data."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

# What a role meets at a door.
FORM = "form"  # 200, with a form to fill in
SAVED = "saved"  # an allowed POST: redirected (302) once something changed
CREATED = "created"  # an allowed POST to the API: 201 once something was created


@dataclass(frozen=True)
class To:
    """A redirect to a named address (`args` built like a door's); `exact=False` for a page that
    adds `?next=`."""

    name: str
    args: tuple = ()
    exact: bool = True


LOGIN = To("login", exact=False)
ADMIN_LOGIN = To("admin:login", exact=False)

ROLES = ["anonymous", "foreign_manager", "rep", "other_rep", "viewer", "manager", "staff"]


def roles(anonymous, foreign_manager, rep, other_rep, viewer, manager, staff):
    """One outcome per role, in the order of ROLES."""
    outcomes = [anonymous, foreign_manager, rep, other_rep, viewer, manager, staff]
    return dict(zip(ROLES, outcomes, strict=True))


def everyone(outcome):
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome):
    return everyone(outcome) | {"anonymous": LOGIN}


# The pages of a plan, which every member of its team and staff read.
READ = roles(LOGIN, 404, 200, 200, 200, 200, 200)
# A page that only reads, or a door that only writes: the other method is refused as such (after
# the sign-in, which comes first).
NOT_ALLOWED = signed_in(405)
# The plan editor: its managers and staff.
EDIT_FORM = roles(LOGIN, 404, 403, 403, 403, FORM, FORM)
EDIT = roles(LOGIN, 404, 403, 403, 403, SAVED, SAVED)
# The rep's PACI (`@rep`): the rep, the managers, the viewers (reading only) and staff; another rep
# cannot tell it from a PACI that does not exist.
PACI_READ = roles(LOGIN, 404, 200, 404, 200, 200, 200)
PACI_FORM = roles(LOGIN, 404, FORM, 404, 403, FORM, FORM)
PACI_WRITE = roles(LOGIN, 404, SAVED, 404, 403, SAVED, SAVED)


@dataclass
class Door:
    """One URL pattern: its arguments (keys of `things`; `@role` for that person's username;
    `token` for the requester's calendar-feed key), what each role meets on a GET and on a POST,
    and the data an allowed POST sends (`invalid`: data its form refuses)."""

    name: str
    args: tuple
    get: dict
    post: dict
    valid: dict | None = None
    invalid: dict | None = None
    query: str = ""
    region: str = ""
    versioned: str = ""  # key in `things` whose version the form carries
    # The day the requests are sent on, when the data is valid only on some days.
    today: date | None = None

    def url(self, things, world=None, user=None):
        args = [argument(arg, things, world, user) for arg in self.args]
        return reverse(self.name, args=args) + self.query

    def data(self, things, which):
        data = dict(getattr(self, which) or {})
        if self.versioned and which in {"valid", "invalid"}:
            data["version"] = things[self.versioned].version
        return data


def argument(arg, things, world, user):
    if arg == "token":
        return user.feed_token if user else "not-a-key"
    if arg.startswith("@"):
        return getattr(world, arg[1:]).username
    if arg.startswith("="):
        return arg[1:]  # a word of the address, as it is: "=clients"
    return things[arg].pk


def read(name, *args, get=READ):
    """A page that only reads."""
    return Door(name, args, get, NOT_ALLOWED)


# A deal of the carnet as its form takes it ("REP": the shared world's rep).
DEAL = {
    "company": "Fonderie Lemaire",
    "amount": "12000",
    "probability": "40",
    "stage": "proposal",
    "milestone_date": "2027-04-15",
    "owner": "REP",
}
