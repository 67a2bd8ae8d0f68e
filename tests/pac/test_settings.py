"""Settings: SQLite tuned for concurrent writers, production refuses unsafe defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# What the test run itself sets and a production process would not have.
NOT_INHERITED = {
    "DATABASE_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "CACHE_URL",
}


def clean_environment(**env):
    environment = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    environment.update(env)
    return environment


def run_python(code, **env):
    environment = clean_environment(**env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_sqlite_opens_in_wal_mode_with_a_busy_timeout(tmp_path):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'pac.settings'; django.setup()\n"
        "from django.db import connection\n"
        "cursor = connection.cursor()\n"
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0])\n"
        "print(cursor.execute('PRAGMA busy_timeout').fetchone()[0])\n"
        "print(cursor.execute('PRAGMA foreign_keys').fetchone()[0])\n"
        "print(connection.transaction_mode)\n"
    )
    result = run_python(code, SQLITE_PATH=str(tmp_path / "pac.sqlite3"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000", "1", "IMMEDIATE"]


def test_database_url_selects_postgresql():
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'pac.settings'\n"
        "from django.conf import settings\n"
        "db = settings.DATABASES['default']\n"
        "print(db['ENGINE'], db['NAME'], db['HOST'], db['PORT'])\n"
    )
    result = run_python(code, DATABASE_URL="postgres://pac:secret@db.example:5433/pac_prod")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "pac_prod",
        "db.example",
        "5433",
    ]


def test_cache_url_shares_a_redis_cache_between_workers():
    """Redis runs beside PostgreSQL on the test machines: a value set in one process is read in
    another."""
    setup = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'pac.settings'\n"
        "django.setup()\n"
        "from django.core.cache import cache\n"
    )
    url = "redis://127.0.0.1:6379/14"
    written = run_python(setup + "cache.set('pac-settings-test', 'shared', 30)", CACHE_URL=url)
    assert written.returncode == 0, written.stderr
    read = run_python(setup + "print(cache.get('pac-settings-test'))", CACHE_URL=url)
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip() == "shared"
    # Without it, each process has its own.
    assert run_python(setup + "print(cache.get('pac-settings-test'))").stdout.strip() == "None"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "false", "ALLOWED_HOSTS": "pac.example.com"}, "SECRET_KEY must be set"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS must be set"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, message):
    result = run_python(
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'pac.settings'\n"
        "from django.conf import settings; settings.SECRET_KEY\n",
        **env,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_environment(
            DEBUG="false",
            SECRET_KEY="a-long-random-production-key-" + "k" * 40,
            ALLOWED_HOSTS="pac.example.com",
            SQLITE_PATH=str(tmp_path / "pac.sqlite3"),
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
