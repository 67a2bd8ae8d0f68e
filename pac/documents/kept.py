"""Documents kept once printed, so that nobody waits for the same document twice.

A document is kept under the plan's revision (pac.core.revisions: it changes with anything the
plan holds), the day its figures are as of, its kind and options, the reader's language and the
reader (the cover names them). A change gives the plan a new revision, so the next download
prints afresh; the files of older revisions and days are removed when a new one is kept.
Files go through Django's storage API (`STORAGES["default"]`): a folder by default, an object
store in production.
"""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

FOLDER = "documents"


def name_of(plan, kind, language, day, reader, *options):
    """Where the document of this state of the plan is kept."""
    digest = hashlib.sha256(
        "|".join([kind, language, str(reader.pk), *map(str, options)]).encode()
    ).hexdigest()[:32]
    return f"{FOLDER}/{plan.pk}/{prefix(plan, day)}{digest}.pdf"


def prefix(plan, day):
    return f"{plan.revision.hex}-{day:%Y%m%d}-"


def find(name):
    """The kept document's file, opened, or None."""
    try:
        return default_storage.open(name, "rb")
    except FileNotFoundError:
        return None


def exists(name):
    return default_storage.exists(name)


def keep(plan, day, name, pdf):
    """Keep a printed document; remove the plan's documents of other revisions or days."""
    if default_storage.exists(name):
        default_storage.delete(name)  # printed twice at once: the later copy wins
    default_storage.save(name, ContentFile(pdf))
    folder = f"{FOLDER}/{plan.pk}"
    current = prefix(plan, day)
    _folders, files = default_storage.listdir(folder)
    for file in files:
        if not file.startswith(current):
            default_storage.delete(f"{folder}/{file}")
