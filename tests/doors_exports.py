"""The doors of the exports (read by tests/test_doors.py): each .xlsx reads like its page."""

from tests.doors import LOGIN, read, roles

# The models these doors write: a door that saves must change one of their rows.
MODELS = []

DOORS = [
    read("exports:action-list", "plan"),
    read("exports:budget", "plan"),
    read("exports:deals", "plan"),
    read("exports:kpis", "plan"),
    read("exports:action-kpis", "plan", "action"),
    # Like the cockpit itself: reps do not see how they compare with each other.
    read("exports:cockpit", "plan", get=roles(LOGIN, 404, 404, 404, 200, 200, 200)),
]
