"""Photo files in an S3-compatible bucket (AWS, MinIO, SeaweedFS…), through boto3.

Credentials come the standard AWS way (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, a profile…).
Timeouts are short and retries few: with the store down an upload answers 503 within seconds, and the phone's
outbox keeps the photo and sends it again later.
"""

import os
from collections.abc import Iterator

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from fieldkit.photos.storage.base import StorageError

CLIENT_CONFIG = Config(connect_timeout=3, read_timeout=15, retries={"max_attempts": 2, "mode": "standard"})
MISSING = {"404", "NoSuchKey", "NotFound"}


class S3Store:
    """Objects under ``PREFIX/`` in one bucket, named like the files of the folder store."""

    def __init__(self, bucket: str, prefix: str, endpoint_url: str | None):
        self.bucket, self.prefix, self.endpoint_url = bucket, prefix.strip("/"), endpoint_url or None
        self._client = None

    @property
    def client(self):
        """The boto3 client, made on first use (not at start-up: the store may be down then)."""
        if self._client is None:
            region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
            self._client = boto3.session.Session().client(
                "s3", endpoint_url=self.endpoint_url, region_name=region, config=CLIENT_CONFIG
            )
        return self._client

    def key(self, name: str) -> str:
        """The object key of a name."""
        return f"{self.prefix}/{name}" if self.prefix else name

    def exists(self, name: str) -> bool:
        """HEAD the object."""
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(name))
        except ClientError as error:
            if _code(error) in MISSING:
                return False
            raise _storage_error(error) from error
        except BotoCoreError as error:
            raise _storage_error(error) from error
        return True

    def write(self, name: str, content: bytes) -> None:
        """PUT the object: S3 stores it whole or not at all, and durably once it answers."""
        try:
            self.client.put_object(Bucket=self.bucket, Key=self.key(name), Body=content, ContentType="image/jpeg")
        except (BotoCoreError, ClientError) as error:
            raise _storage_error(error) from error

    def read(self, name: str) -> bytes:
        """GET the object."""
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.key(name))["Body"].read()
        except ClientError as error:
            if _code(error) in MISSING:
                raise FileNotFoundError(name) from None
            raise _storage_error(error) from error
        except BotoCoreError as error:
            raise _storage_error(error) from error

    def remove(self, name: str) -> None:
        """DELETE the object (S3 answers alike whether it was there or not)."""
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.key(name))
        except (BotoCoreError, ClientError) as error:
            raise _storage_error(error) from error

    def entries(self) -> Iterator[tuple[str, float]]:
        """List the objects under the prefix, page by page."""
        start = self.key("")
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start):
                for item in page.get("Contents", []):
                    yield item["Key"].removeprefix(start), item["LastModified"].timestamp()
        except (BotoCoreError, ClientError) as error:
            raise _storage_error(error) from error


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _storage_error(error: Exception) -> StorageError:
    return StorageError(f"object store: {error}")
