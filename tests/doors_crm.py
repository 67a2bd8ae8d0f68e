"""The doors of the CRM deals import (read by tests/test_doors.py)."""

from targets.models import Deal
from tests.doors import EDIT, EDIT_FORM, Door

# The models these doors write: a door that saves must change one of their rows.
MODELS = [Deal]

HEADERS = "Record ID\tDeal Name\tDeal Stage\tClose Date\tDeal owner\tAmount\tAssociated Company\n"

DOORS = [
    # An export previewed saves nothing: the door saves when the preview is confirmed. Only the
    # plan's managers import (for anyone of the team), reps and viewers not.
    Door(
        "targets:deals-import",
        ("plan",),
        EDIT_FORM,
        EDIT,
        {
            "pasted": HEADERS
            + "18001\tInfogérance\tClosed Won\t31/03/2027\trep@example.com\t12 500\tDurand SA\n",
            "confirm": "1",
        },
        {
            "pasted": HEADERS
            + "18001\tInfogérance\tClosed Won\t31/03/2027\trep@example.com\t-5\tDurand SA\n",
            "confirm": "1",
        },
    ),
]
