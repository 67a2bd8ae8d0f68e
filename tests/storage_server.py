"""A local S3 endpoint for the tests: moto's server on a free port of 127.0.0.1, the address of a
bucket on it as `STORAGE_URL` reads it, and an address where nothing answers.

moto accepts any keys: `KEYS` are the ones the tests (and their subprocesses) set.
"""

import logging
import socket
import uuid

import boto3
from moto.server import ThreadedMotoServer

REGION = "us-east-1"  # the one region where a bucket is created without a location
KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def free_port():
    """A port nothing listens on now: the system's pick, closed again."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def storage_url(endpoint, bucket):
    return f"s3://{bucket}?endpoint_url={endpoint}&region_name={REGION}"


def nowhere():
    """The address of an object store that is down: a port of loopback nobody listens on."""
    return f"http://127.0.0.1:{free_port()}"


class S3Server:
    """moto's S3 in a thread of this process; `start()` and `stop()` it."""

    def __init__(self):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)

    def start(self):
        # Werkzeug logs every request, 404s of missing keys included, at INFO.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.server.start()
        return self

    def stop(self):
        self.server.stop()

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
        )

    def bucket(self):
        """A new bucket's name, the bucket created: each test has its own."""
        name = f"pac-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket):
        """The names of the objects a bucket holds, sorted."""
        listed = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def url(self, bucket):
        return storage_url(self.endpoint, bucket)
