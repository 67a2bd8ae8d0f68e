"""Files go through Django's storage API: a document printed in the background is written and read
back alike on the file system and on an S3 endpoint (moto's server); a store without its bucket,
or down, says so on the waiting page, and a document printed in the request is sent all the same.
"""

import logging
import re
from html import unescape

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, default_storage
from django.urls import reverse
from storages.backends.s3 import S3Storage

from pac.core import stores
from pac.documents import kept, pdf, tasks
from pac.documents.models import PdfExport
from tests import storage_server
from tests.actions.factories import ActionFactory
from tests.documents.conftest import read

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def s3_server():
    server = storage_server.S3Server().start()
    yield server
    server.stop()


@pytest.fixture
def aws_keys(monkeypatch):
    for name, value in storage_server.KEYS.items():
        monkeypatch.setenv(name, value)


def use(settings, url):
    """Files in the store `url` names, as STORAGE_URL would set it (pac.core.stores)."""
    settings.STORAGES = {**settings.STORAGES, "default": stores.from_url(url)}


class Store:
    """The store a test runs on, and what it holds, read around PAC."""

    def __init__(self, kind, folder=None, server=None, bucket=None):
        self.kind, self.folder, self.server, self.bucket = kind, folder, server, bucket

    def names(self):
        if self.server:
            return self.server.keys(self.bucket)
        return sorted(str(path.relative_to(self.folder)) for path in self.folder.rglob("*.pdf"))


@pytest.fixture(params=["file system", "s3"])
def store(request, settings, tmp_path, aws_keys):
    if request.param == "s3":
        server = request.getfixturevalue("s3_server")
        bucket = server.bucket()
        use(settings, server.url(bucket))
        assert isinstance(default_storage, S3Storage)
        return Store("s3", server=server, bucket=bucket)
    use(settings, f"file://{tmp_path}/files")
    assert isinstance(default_storage, FileSystemStorage)
    return Store("file system", folder=tmp_path / "files")


@pytest.fixture(params=["file system", "s3"])
def down(request, settings, tmp_path, aws_keys):
    """A store that fails: a folder under a file, or an object store nobody answers for."""
    if request.param == "s3":
        use(settings, storage_server.storage_url(storage_server.nowhere(), "pac-files"))
    else:
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("")
        use(settings, f"file://{blocker}/files")
    return request.param


@pytest.fixture
def large(settings, printed):
    """A plan over the background thresholds (lowered here so the test stays quick)."""
    settings.BACKGROUND_PDF_ACTIONS = 1
    settings.BACKGROUND_SYNTHESIS_ACTIONS = 1
    ActionFactory(target=printed["target"], title="Deuxième action")
    return printed["plan"]


@pytest.fixture
def rendered(monkeypatch):
    """The bytes of each document the task worker prints."""
    pdfs = []

    def render(document):
        printed = pdf.render(document)
        pdfs.append(printed.pdf)
        return printed

    monkeypatch.setattr(tasks, "render", render)
    return pdfs


def body(response):
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content)


def english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_a_background_document_is_written_and_read_back(
    store, world, login, large, rendered, layouts
):
    client = login(world.manager)
    response = client.get(reverse("pac:plan-dossier-pdf", args=[large.pk]))
    export = PdfExport.objects.get()
    assert (export.status, export.error) == ("ready", "")
    assert 'data-status="ready"' in client.get(response["Location"]).text
    download = client.get(reverse("pac:pdf-export-download", args=[large.pk, export.pk]))
    [printed] = rendered
    assert body(download) == printed
    # Both in the store itself: the export's file and the copy kept for the next readers.
    names = store.names()
    large.refresh_from_db()
    assert f"exports/{export.pk}.pdf" in names
    [copy] = [name for name in names if name.startswith(f"documents/{large.pk}/")]
    assert copy.startswith(f"documents/{large.pk}/{large.revision.hex}-20270415-")
    # The next download sends the kept copy at once: nothing laid out, no new export.
    parts = len(layouts)
    again = client.get(reverse("pac:plan-dossier-pdf", args=[large.pk]))
    assert body(again) == printed
    assert len(layouts) == parts and PdfExport.objects.count() == 1


def test_a_copy_never_kept_is_not_found(store, world):
    assert kept.find(f"documents/{world.plan.pk}/never-kept.pdf") is None


def test_a_missing_bucket_says_so_on_the_waiting_page(
    s3_server, aws_keys, settings, world, login, large
):
    use(settings, s3_server.url("pac-never-created"))
    client = english(login(world.manager))
    response = client.get(reverse("pac:plan-pdf", args=[large.pk]))
    assert response.status_code == 302
    export = PdfExport.objects.get()
    assert export.status == "failed"
    assert export.error.startswith("store-no-bucket: NoSuchBucket: ")
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = unescape(page.text)
    assert 'data-failure="store"' in text
    assert "The document is printed, but the file store could not save it." in text
    assert "The file store's bucket does not exist. Tell an administrator" in text
    assert reverse("pac:plan-pdf", args=[large.pk]) in text  # to print it again


def test_a_store_down_says_so_on_the_waiting_page(down, world, login, large):
    client = english(login(world.manager))
    response = client.get(reverse("pac:plan-pdf", args=[large.pk]))
    export = PdfExport.objects.get()
    assert export.status == "failed" and export.error.startswith("store-unreachable: ")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "The file store cannot be reached just now. Try again in a few minutes" in unescape(
        page.text
    )


@pytest.mark.parametrize("url_name", ["pac:plan-pdf", "pac:action-pdf"])
def test_a_store_down_still_sends_a_document_printed_at_once(
    down, world, login, printed, caplog, url_name
):
    plan, action = printed["plan"], printed["action"]
    args = [plan.pk, action.pk] if url_name == "pac:action-pdf" else [plan.pk]
    url = reverse(url_name, args=args)
    client = login(world.manager)
    with caplog.at_level(logging.WARNING, logger="pac.documents.kept"):
        _reader, pages = read(client.get(url))
    assert "Prospection téléphonique" in " ".join(pages)
    assert [record.getMessage().split(":")[0] for record in caplog.records] == [
        "File store failed",
        "File store failed",
    ]
    assert "not read" in caplog.records[0].getMessage()
    assert "not kept" in caplog.records[1].getMessage()


def test_a_store_down_keeps_nothing_and_prints_each_time(down, world, login, printed, layouts):
    url = reverse("pac:action-pdf", args=[printed["plan"].pk, printed["action"].pk])
    client = login(world.manager)
    read(client.get(url))
    parts = len(layouts)
    read(client.get(url))
    assert len(layouts) == 2 * parts


def test_an_export_the_store_cannot_give_back_says_so(down, world, login, large):
    export = PdfExport.objects.create(
        plan=large, requested_by=world.manager, status="ready", file_name="PAC.pdf"
    )
    client = english(login(world.manager))
    response = client.get(reverse("pac:pdf-export-download", args=[large.pk, export.pk]))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    text = unescape(response.text)
    assert "The document is printed, but the file store cannot give it back." in text
    assert "The file store cannot be reached just now." in text


def test_a_store_refusing_the_keys_says_so(world, login, large):
    export = PdfExport.objects.create(
        plan=large,
        requested_by=world.manager,
        status="failed",
        error="store-refused: ClientError: An error occurred (InvalidAccessKeyId)",
    )
    page = english(login(world.manager)).get(reverse("pac:pdf-export", args=[large.pk, export.pk]))
    assert page.status_code == 200
    assert "The file store refuses PAC's access. Tell an administrator" in unescape(page.text)


# pac.core.stores: STORAGES["default"] from the environment.


def test_nothing_set_keeps_files_in_files_dir():
    assert stores.default_storage({}) == {"BACKEND": stores.FILE_SYSTEM}


def test_a_file_address_names_the_folder():
    assert stores.default_storage({"STORAGE_URL": "file:///srv/pac/my%20files"}) == {
        "BACKEND": stores.FILE_SYSTEM,
        "OPTIONS": {"location": "/srv/pac/my files"},
    }


def test_an_s3_address_names_the_bucket_and_its_options():
    url = (
        "s3://pac-files?endpoint_url=https://s3.example.com&region_name=eu-west-3"
        "&addressing_style=path&location=pac"
    )
    storage = stores.default_storage({"STORAGE_URL": url, "AWS_STORAGE_BUCKET_NAME": "other"})
    options = storage["OPTIONS"]
    config = options.pop("client_config")
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options == {
        "bucket_name": "pac-files",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": True,
        "endpoint_url": "https://s3.example.com",
        "region_name": "eu-west-3",
        "location": "pac",
    }
    # A store that does not answer fails in seconds; the address's style reaches botocore.
    assert (config.connect_timeout, config.read_timeout) == (3, 10)
    assert config.retries == {"max_attempts": 2, "mode": "standard"}
    assert config.s3 == {"addressing_style": "path"}


def test_the_usual_bucket_variables_name_an_s3_store():
    storage = stores.default_storage(
        {
            "AWS_STORAGE_BUCKET_NAME": "pac-files",
            "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
            "AWS_S3_REGION_NAME": "eu-west-3",
        }
    )
    options = storage["OPTIONS"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "pac-files",
        "http://127.0.0.1:9000",
        "eu-west-3",
    )
    assert options["client_config"].s3 is None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("s3://pac-files?region=eu-west-3", "STORAGE_URL: unknown option 'region' (known: "),
        ("ftp://files.example.com/pac", "STORAGE_URL must start with file:// or s3://, not 'ftp'"),
        ("file://", "STORAGE_URL=file:// needs a folder"),
        ("s3://", "STORAGE_URL=s3:// needs a bucket"),
    ],
)
def test_a_wrong_address_is_refused_at_start(url, message):
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        stores.default_storage({"STORAGE_URL": url})


def s3_error(code, status):
    return ClientError(
        {"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "PutObject"
    )


@pytest.mark.parametrize(
    ("error", "failure"),
    [
        (s3_error("NoSuchBucket", 404), stores.NO_BUCKET),
        (s3_error("InvalidAccessKeyId", 403), stores.REFUSED),
        (s3_error("403", 403), stores.REFUSED),  # a HEAD request's refusal has no body
        (s3_error("InternalError", 500), stores.UNREACHABLE),
        (EndpointConnectionError(endpoint_url="http://127.0.0.1:1"), stores.UNREACHABLE),
        (NoCredentialsError(), stores.REFUSED),
        (PermissionError("read-only"), stores.REFUSED),
        (OSError("No space left on device"), stores.UNREACHABLE),
    ],
)
def test_a_store_error_means_one_failure(error, failure):
    assert isinstance(error, stores.STORE_ERRORS)
    assert stores.failure(error) == failure
