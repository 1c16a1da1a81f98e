"""What the per-part checksum costs on SeaweedFS, and why the SDK does not pay it.

    .venv/bin/python tests/bench/bench_checksum.py [--rounds 12] [--workdir DIR]

``bench_upload.py`` finds the engine a few per cent behind a plain ``fput_object`` on one 1 GiB file, on a
2-core machine where SeaweedFS uses most of the CPU. This script isolates the one thing the engine makes the
server do that the SDK does not:

1. the same 1 GiB file is sent as a multipart upload, in the engine's default part size and requests in
   flight, through its own request functions (``planet_gui.core.transfer.s3ops``), once *with* a CRC32C per part
   (``x-amz-checksum-crc32c``, which the server recomputes) and once *without*; the two alternate, in pairs,
   ``--rounds`` times; the table gives the median wall time and the server's CPU time (``/proc/<pid>/stat``)
   of each, and how many pairs the checksum lost;
2. it sends three small PUTs with a wrong checksum each: a wrong signed payload SHA-256
   (``x-amz-content-sha256``, what the SDK sends over plain HTTP), a wrong ``Content-MD5`` and a wrong
   ``x-amz-checksum-crc32c``, and prints which ones the server refuses.

No SHA-256 of the file is taken here (the engine does, and so does the SDK): only the checksum differs.
Not a pytest module.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_upload import GiB, MiB, _client, make_file, warm  # noqa: E402

from planet_gui.core.transfer import s3ops  # noqa: E402
from planet_gui.core.transfer.engine import TransferSettings  # noqa: E402
from planet_gui.core.transfer.sizing import DEFAULT_PART_SIZE  # noqa: E402

PART = DEFAULT_PART_SIZE
IN_FLIGHT = TransferSettings().concurrency


def server_cpu(pid: int) -> float:
    """User + system CPU seconds the server process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def multipart(client: Any, path: Path, key: str, *, checksum: bool) -> None:
    """One multipart upload of ``path``: the engine's requests, with or without the per-part CRC32C."""
    size = path.stat().st_size
    if checksum:
        upload_id = s3ops.create_multipart(client, "raw", key, {})
    else:
        answer = s3ops._execute(client, "POST", "raw", key, headers={"Content-Type": "application/octet-stream"},
                                query={"uploads": ""})
        upload_id = s3ops._text(ET.fromstring(answer.data.decode()), "UploadId") or ""
    descriptor = os.open(path, os.O_RDONLY)

    def send(index: int) -> tuple[int, str, str]:
        data = os.pread(descriptor, PART, index * PART)
        if checksum:
            crc = s3ops.Checksum.CRC32C.b64(data)
            result = s3ops.upload_part(client, "raw", key, upload_id, index + 1, data, crc)
            return index + 1, result.etag, crc
        response = s3ops._send_data(client, "PUT", "raw", key, data, {},
                                    {"partNumber": str(index + 1), "uploadId": upload_id})
        return index + 1, s3ops._etag(response.headers.get("etag")), ""

    try:
        with ThreadPoolExecutor(IN_FLIGHT) as pool:
            parts = list(pool.map(send, range(-(-size // PART))))
    finally:
        os.close(descriptor)
    if checksum:
        s3ops.complete(client, "raw", key, upload_id, parts, if_none_match=False)
        return
    root = ET.Element("CompleteMultipartUpload")
    for number, etag, _ in parts:
        part = ET.SubElement(root, "Part")
        ET.SubElement(part, "PartNumber").text = str(number)
        ET.SubElement(part, "ETag").text = f'"{etag}"'
    s3ops._execute(client, "POST", "raw", key, body=ET.tostring(root), headers={"Content-Type": "application/xml"},
                   query={"uploadId": upload_id})


def wrong_checksums(client: Any) -> list[tuple[str, int]]:
    """(what was wrong, HTTP status) for a small PUT with each kind of wrong checksum."""
    from urllib.parse import urlunsplit

    from minio import time as s3time
    from minio.signer import sign_v4_s3
    from urllib3 import HTTPHeaderDict

    body = os.urandom(100_000)
    other = b"not the body"
    cases = [("x-amz-content-sha256 (signed payload, as the SDK sends it)", hashlib.sha256(other).hexdigest(), {}),
             ("Content-MD5", "UNSIGNED-PAYLOAD", {"Content-MD5": base64.b64encode(hashlib.md5(other).digest())
                                                  .decode()}),
             ("x-amz-checksum-crc32c (the engine's)", "UNSIGNED-PAYLOAD",
              {"x-amz-checksum-crc32c": s3ops.Checksum.CRC32C.b64(other)})]
    statuses = []
    for index, (what, content_sha256, extra) in enumerate(cases):
        region = client._get_region("raw")
        url = client._base_url.build(method="PUT", region=region, bucket_name="raw",
                                     object_name=f"bench-checksum/wrong-{index}", query_params={})
        date = s3time.utcnow()
        headers = {"Host": url.netloc, "Content-Length": str(len(body)), "x-amz-content-sha256": content_sha256,
                   "x-amz-date": s3time.to_amz_date(date), **extra}
        headers = sign_v4_s3(method="PUT", url=url, region=region, headers=headers,
                             credentials=client._provider.retrieve(), content_sha256=content_sha256, date=date)
        sent = HTTPHeaderDict()
        for name, value in headers.items():
            sent.add(name, value)
        response = client._http.urlopen("PUT", urlunsplit(url), body=body, headers=sent, preload_content=True)
        statuses.append((what, response.status))
    return statuses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()

    from tests.support.servers import OidcServer, S3Server

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-checksum-"))
    workdir.mkdir(parents=True, exist_ok=True)
    big = make_file(workdir / "one-gib.bin", GiB, 1)
    warm([big])
    oidc = OidcServer.start(workdir / "oidc")
    s3 = S3Server.start(workdir / "s3", oidc_issuer=oidc.issuer)
    times: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    try:
        assert s3.pid is not None
        client = _client(s3.endpoint, s3.admin_access_key, s3.admin_secret_key)
        refusals = wrong_checksums(client)
        multipart(client, big, "bench-checksum/warm-up", checksum=True)
        client.remove_object("raw", "bench-checksum/warm-up")
        for round_number in range(args.rounds):
            order = (True, False) if round_number % 2 == 0 else (False, True)
            for checksum in order:
                key = f"bench-checksum/{round_number}-{checksum}"
                cpu_before, started = server_cpu(s3.pid), time.perf_counter()
                multipart(client, big, key, checksum=checksum)
                times[checksum].append((time.perf_counter() - started, server_cpu(s3.pid) - cpu_before))
                client.remove_object("raw", key)
                print(f"  round {round_number + 1:2}  {'CRC32C' if checksum else 'none  '}  "
                      f"{times[checksum][-1][0]:6.2f} s  server CPU {times[checksum][-1][1]:6.2f} s", flush=True)
    finally:
        s3.kill()
        s3.stop()
        oidc.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    with_crc, without = times[True], times[False]
    lost = sum(a[0] > b[0] for a, b in zip(with_crc, without, strict=True))
    print()
    print(f"| 1 GiB, {PART // MiB} MiB parts, {IN_FLIGHT} in flight | median time (s) | median server CPU (s) |")
    print("|---|---:|---:|")
    for label, rows in (("with a CRC32C per part", with_crc), ("without", without)):
        wall, cpu = statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows)
        print(f"| {label} | {wall:.2f} | {cpu:.2f} |")
    print(f"\nThe checksum was slower in {lost} of {len(with_crc)} pairs; median time ratio "
          f"{statistics.median(a[0] / b[0] for a, b in zip(with_crc, without, strict=True)):.3f}.")
    print()
    print("| a small PUT with a wrong ... | server's answer |")
    print("|---|---|")
    for what, status in refusals:
        print(f"| {what} | {status} ({'refused' if status >= 400 else 'accepted'}) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
