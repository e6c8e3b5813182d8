"""Where uploaded evidence is kept, so that every web and worker process sees the same files.

By default evidence is written under MEDIA_ROOT on the local file system; with several machines
that directory must be one shared volume (docker-compose.yml mounts a named volume there in every
container). With ``S3_BUCKET`` set, evidence goes to an S3-compatible object store instead
(django-storages): AWS S3, MinIO, Ceph RGW or a cloud vendor's OSS/COS with an S3 endpoint.

Objects are private. No ACL is sent (the bucket's own policy applies and must not be public),
signed URLs would expire after a minute, and the portal never hands out a URL to the store at
all: every download goes through the permission-checked view, which reads the object from
the store and streams it to the user (tasks.workflow.uploads)."""

from __future__ import annotations

import functools

from policytrack.env import envsecret, envstr

S3_BACKEND = "storages.backends.s3.S3Storage"
# Settings a store is configured by, as named in README's configuration table.
S3_VARIABLES = ("S3_BUCKET", "S3_ENDPOINT_URL", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY",
                "S3_ADDRESSING_STYLE", "S3_PREFIX")


def evidence_storage(max_memory_size: int) -> dict:
    """STORAGES["default"] from the environment: the object store when S3_BUCKET is set, else the
    file system under MEDIA_ROOT. ``max_memory_size``: a download larger than this is spooled to
    a temporary file instead of memory while it streams."""
    bucket = envstr("S3_BUCKET")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "endpoint_url": envstr("S3_ENDPOINT_URL") or None,
        "region_name": envstr("S3_REGION") or None,
        # Empty keys fall back to boto3's own chain (AWS_* variables, an instance role).
        "access_key": envsecret("S3_ACCESS_KEY_ID") or None,
        "secret_key": envsecret("S3_SECRET_ACCESS_KEY") or None,
        "addressing_style": envstr("S3_ADDRESSING_STYLE") or None,
        "location": envstr("S3_PREFIX").strip("/"),
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 60,
        "file_overwrite": False,
        "max_memory_size": max_memory_size,
    }
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


@functools.cache
def storage_errors() -> tuple[type[Exception], ...]:
    """What a store raises when it cannot be reached or refuses a request: OSError for the file
    system (a full or unmounted volume), botocore's and boto3's errors for an object store."""
    from boto3.exceptions import Boto3Error
    from botocore.exceptions import BotoCoreError, ClientError
    from s3transfer.exceptions import RetriesExceededError

    return (OSError, BotoCoreError, ClientError, Boto3Error, RetriesExceededError)
