"""Imports run one way: the shell (URLs, admin, the models' registry, template tags, commands,
demo and bench) above the composition (documents, steering, planning, plans), above the apps
from kpis down to targets, above pac.core. The contract is `.importlinter`."""

from pathlib import Path

from importlinter import configuration
from importlinter.application.use_cases import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_nothing_below_imports_above(capsys):
    configuration.configure()
    kept = lint_imports(config_filename=str(ROOT / ".importlinter"), cache_dir=None, no_logo=True)
    assert kept, capsys.readouterr().out
