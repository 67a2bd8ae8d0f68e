"""The doors of the API (read by tests/test_doors.py).

The API answers 401 to the anonymous (no redirect to the sign-in page), another team's plan and
its rows are a 404, every member of the team reads the plan's data as on its pages. The writes
create with the data the pages' forms take (201), or are refused for what the sender lacks: the
access (401, 404, 403 for viewers and those who may not change the row); their validation and
versions are tried in tests/api/.
"""

from datetime import date

from pac.core.tokens import ApiToken
from tests.doors import CREATED, DEAL, LOGIN, Door, everyone, roles, signed_in

# The models these doors write: a door that saves must change one of their rows.
MODELS = [ApiToken]

API_READ = roles(401, 404, 200, 200, 200, 200, 200)
# DRF refuses a method it does not serve before reading the plan; the sign-in comes first.
API_NOT_ALLOWED = roles(401, 405, 405, 405, 405, 405, 405)


def read(name, *args, get=API_READ):
    return Door(name, args, get, API_NOT_ALLOWED)


DOORS = [
    read("api:schema", get=roles(401, 200, 200, 200, 200, 200, 200)),
    # The documentation page is a page: the anonymous are sent to sign in.
    Door("api:docs", (), signed_in(200), signed_in(405) | {"anonymous": LOGIN}),
    read("api:plan-list", get=roles(401, 200, 200, 200, 200, 200, 200)),
    read("api:plan-detail", "plan"),
    read("api:target-list", "plan"),
    read("api:objective-list", "plan"),
    read("api:action-list", "plan"),
    read("api:kpi-list", "plan"),
    read("api:review-list", "plan"),
    # Reps add their own deals, managers anyone's; viewers none.
    Door(
        "api:deal-list",
        ("plan",),
        API_READ,
        roles(401, 404, CREATED, 400, 403, CREATED, CREATED),
        DEAL,
    ),
    read("api:deal-detail", "plan", "deal"),
    # The rep's KPI: its owner and the managers record its values.
    # Its values are read where its owner's PACI and the cockpit show them: a colleague finds
    # nothing there, as on that PACI.
    Door(
        "api:kpi-values",
        ("rep_kpi",),
        roles(401, 404, 200, 404, 200, 200, 200),
        roles(401, 404, CREATED, 404, 403, CREATED, CREATED),
        {"recorded_on": "2027-01-10", "value": "5", "comment": ""},
        today=date(2027, 1, 12),
    ),
]
DOORS.append(
    # Any other address under /api/: the API's own JSON 404, for everyone, signed in or not.
    Door("api:not-found", ("=plans/123456789012345678901/",), everyone(404), everyone(404))
)
