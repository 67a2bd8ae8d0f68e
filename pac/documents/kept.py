"""Documents kept once printed, so that nobody waits for the same document twice.

A document is kept under the plan's revision (pac.core.revisions: it changes with anything the
plan holds), the day its figures are as of, its kind and options, the reader's language and the
reader (the cover names them), and the edition of PAC that printed it: a release prints afresh
rather than send a copy laid out by the code before it. A change gives the plan a new revision,
so the next download prints afresh; the files of older revisions and days are removed when a new
one is kept.
Files go through Django's storage API (`STORAGES["default"]`): a folder by default, an object
store in production. A kept copy only spares the next reader a wait: when the store fails, the
document is printed again and sent, and the failure logged (pac.core.stores.STORE_ERRORS).
"""

import hashlib
import logging
from functools import cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from pac.core import stores

FOLDER = "documents"


# What a document is printed from: the code, its templates, stylesheet and translations.
SOURCES = ("pac", "targets", "actions", "kpis", "templates", "static/pdf", "locale")
SUFFIXES = {".py", ".html", ".css", ".mo"}


@cache
def edition():
    """A digest of everything a document is printed from, read once per process."""
    digest = hashlib.sha256()
    for folder in SOURCES:
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.suffix in SUFFIXES and "migrations" not in path.parts:
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def name_of(plan, kind, language, day, reader, *options):
    """Where the document of this state of the plan is kept."""
    digest = hashlib.sha256(
        "|".join([edition(), kind, language, str(reader.pk), *map(str, options)]).encode()
    ).hexdigest()[:32]
    return f"{FOLDER}/{plan.pk}/{prefix(plan, day)}{digest}.pdf"


def prefix(plan, day):
    return f"{plan.revision.hex}-{day:%Y%m%d}-"


logger = logging.getLogger(__name__)


def fetch(name):
    """The stored file `name`, opened and fetched: FileNotFoundError when it is not there, one
    of STORE_ERRORS when the store fails."""
    file = default_storage.open(name, "rb")
    try:
        # An object store sends the file on its first read: a failure must come here, not
        # halfway through the response that streams it.
        file.read(0)
    except BaseException:
        file.close()
        raise
    return file


def find(name):
    """The kept document's file, opened, or None: not kept, or the store failing (logged)."""
    try:
        return fetch(name)
    except FileNotFoundError:
        return None
    except stores.STORE_ERRORS as error:
        logger.warning("File store failed: kept document %s not read (%r)", name, error)
        return None


def exists(name):
    """Whether the document is kept; one of STORE_ERRORS when the store fails."""
    return default_storage.exists(name)


def keep(plan, day, name, pdf):
    """Keep a printed document; remove the plan's documents of other revisions or days. Whether
    it was kept: a store that fails is logged, and the document printed again next time."""
    try:
        if default_storage.exists(name):
            default_storage.delete(name)  # printed twice at once: the later copy wins
        default_storage.save(name, ContentFile(pdf))
    except stores.STORE_ERRORS as error:
        logger.warning("File store failed: document %s not kept (%r)", name, error)
        return False
    try:
        remove_others(plan, day)
    except stores.STORE_ERRORS as error:
        # They are never sent (their names say another revision or day): removed next time.
        logger.warning("File store failed: older documents of plan %s kept (%r)", plan.pk, error)
    return True


def remove_others(plan, day):
    folder = f"{FOLDER}/{plan.pk}"
    current = prefix(plan, day)
    _folders, files = default_storage.listdir(folder)
    for file in files:
        if not file.startswith(current):
            default_storage.delete(f"{folder}/{file}")
