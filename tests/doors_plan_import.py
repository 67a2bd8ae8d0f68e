"""The doors of the plan import (read by tests/test_doors.py)."""

from tests.doors import EDIT, EDIT_FORM, Door, read

# The models these doors write: a door that saves must change one of their rows.
MODELS = []

# What a preview's confirmation sends back: the lines read from the file, tab-separated. A file
# previewed saves nothing: the door saves when the preview is confirmed, on the plan's version
# the preview was made on (`versioned`).
CONTENT = (
    "Cible\tType de cible\tAction\tDomaine\tDébut\tFin\tBudget\tÉtape\n"
    "Grands comptes\tCompte client\tSalon Industrie\tInterne\t2027-03-01\t2027-03-04\t5000\t"
    "Réserver le stand\n"
)

DOORS = [
    Door(
        "imports:plan-import",
        ("plan",),
        EDIT_FORM,
        EDIT,
        {"content": CONTENT, "confirm": "1"},
        {"content": CONTENT.replace("2027-03-04", "2027-02-01"), "confirm": "1"},
        versioned="plan",
    ),
    read("imports:plan-import-template", "plan"),
]
