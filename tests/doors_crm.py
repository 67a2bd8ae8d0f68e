"""The doors of the CRM deals import (read by tests/test_doors.py)."""

# The models these doors write: a door that saves must change one of their rows.
MODELS = []

DOORS = []
