"""Where PAC keeps its files: the settings of Django's default storage, read from the environment.

PAC writes files (documents printed in the background, kept copies of printed documents) only
through `django.core.files.storage`, so that every app server reads what the task worker wrote:
a folder on one machine, an S3-compatible object store (through django-storages) on several.

- nothing set: the folder `FILES_DIR` (var/files);
- `STORAGE_URL=file:///srv/pac/files`: another folder;
- `STORAGE_URL=s3://bucket?endpoint_url=https://s3.example.com&region_name=eu-west-3`: an object
  store; the keys come from `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` as boto3 reads them;
- or django-storages' usual variables, `AWS_STORAGE_BUCKET_NAME` and `AWS_S3_ENDPOINT_URL`,
  `AWS_S3_REGION_NAME`, with the same keys.

A store can fail (a server down, a bucket missing, keys refused): `STORE_ERRORS` is what it then
raises, and `failure()` what that means for the person waiting for a file.

This module is imported by the settings: it imports nothing of Django's apps.
"""

from urllib.parse import parse_qsl, unquote, urlsplit

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from django.core.exceptions import ImproperlyConfigured

FILE_SYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"

# What a failing store raises: the file system's OSError; botocore's errors for an object store
# that cannot be reached, refuses the keys, or has no such bucket. A missing file is
# FileNotFoundError, an OSError too: callers for whom it means "not there" catch it first.
STORE_ERRORS = (OSError, BotoCoreError, ClientError)

# What a store's failure means for whoever waits for a file (PdfExport.error starts with it).
UNREACHABLE = "store-unreachable"
NO_BUCKET = "store-no-bucket"
REFUSED = "store-refused"
FAILURES = (UNREACHABLE, NO_BUCKET, REFUSED)
# S3's answers to keys it does not know, a signature it cannot check or a policy that says no
# ("403": a HEAD request carries no body, only its status).
REFUSALS = {
    "403",
    "AccessDenied",
    "AllAccessDisabled",
    "ExpiredToken",
    "InvalidAccessKeyId",
    "InvalidToken",
    "SignatureDoesNotMatch",
}

# An object store that does not answer must fail a download in seconds, not after botocore's
# minute of retries: the page says so, and a document printed in the request is sent anyway.
CONNECT_SECONDS = 3
READ_SECONDS = 10
RETRIES = {"max_attempts": 2, "mode": "standard"}

# The options of an s3:// address, with the django-storages option each one sets.
S3_OPTIONS = {
    "endpoint_url": "endpoint_url",
    "region_name": "region_name",
    "addressing_style": "addressing_style",
    "location": "location",
}
# The same, from django-storages' usual environment variables.
S3_VARIABLES = {
    "AWS_S3_ENDPOINT_URL": "endpoint_url",
    "AWS_S3_REGION_NAME": "region_name",
    "AWS_S3_ADDRESSING_STYLE": "addressing_style",
    "AWS_LOCATION": "location",
}


def default_storage(environ):
    """`STORAGES["default"]` for this environment."""
    url = environ.get("STORAGE_URL", "").strip()
    if url:
        return from_url(url)
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if bucket:
        options = {
            option: environ[name] for name, option in S3_VARIABLES.items() if environ.get(name)
        }
        return s3(bucket, options)
    return {"BACKEND": FILE_SYSTEM}  # under MEDIA_ROOT, which FILES_DIR sets


def from_url(url):
    parts = urlsplit(url)
    if parts.scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured("STORAGE_URL=file:// needs a folder: file:///srv/pac/files.")
        return {"BACKEND": FILE_SYSTEM, "OPTIONS": {"location": unquote(parts.path)}}
    if parts.scheme == "s3":
        if not parts.hostname:
            raise ImproperlyConfigured("STORAGE_URL=s3:// needs a bucket: s3://pac-files.")
        options = {}
        for name, value in parse_qsl(parts.query):
            if name not in S3_OPTIONS:
                known = ", ".join(S3_OPTIONS)
                raise ImproperlyConfigured(
                    f"STORAGE_URL: unknown option {name!r} (known: {known})."
                )
            options[S3_OPTIONS[name]] = value
        return s3(parts.hostname, options)
    raise ImproperlyConfigured(
        f"STORAGE_URL must start with file:// or s3://, not {url.split(':', 1)[0]!r}."
    )


def s3(bucket, options):
    # Imported here: botocore's Config takes a fifth of a second to load, which a folder spares.
    from botocore.config import Config

    options = dict(options)
    # With a client_config of its own, django-storages reads no addressing style: it goes in.
    addressing = options.pop("addressing_style", None)
    config = Config(
        connect_timeout=CONNECT_SECONDS,
        read_timeout=READ_SECONDS,
        retries=dict(RETRIES),
        s3={"addressing_style": addressing} if addressing else None,
    )
    return {
        "BACKEND": S3,
        "OPTIONS": {
            "bucket_name": bucket,
            # PAC's files are private: each download goes through a view that checks who asks.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": True,
            "client_config": config,
            **options,
        },
    }


def failure(error):
    """What one of STORE_ERRORS means for whoever waits for the file: one of FAILURES."""
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        if code == "NoSuchBucket":
            return NO_BUCKET
        if code in REFUSALS:
            return REFUSED
    if isinstance(error, NoCredentialsError | PermissionError):
        return REFUSED
    return UNREACHABLE
