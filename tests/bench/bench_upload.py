"""Upload speed and memory of the transfer engine, side by side with rclone and the minio SDK's fput_object.

    .venv/bin/python tests/bench/bench_upload.py [--repeat 3] [--workdir DIR] [--keep] [--skip-memory] [--tls]

One run starts one SeaweedFS (``weed mini``, as the tests do) and uploads, with the same admin credentials, over
plain HTTP or, with ``--tls``, over HTTPS (a certificate from a throwaway CA, which every tool trusts explicitly):

1. a 1 GiB file, and 200 files of 5 MiB (1000 MiB), with
   * ``engine``: :class:`planet_gui.core.transfer.TransferEngine`, default settings (3 requests in flight,
     8 MiB parts), with everything it does for real: the SHA-256 of each file (taken while its parts are
     read for sending), conflict checks (HEADs and a folder listing), per-part CRC32C checksums, journal
     writes, completion checks, the seal (SHA-256 into the metadata) and verification;
   * ``rclone``: the Debian package's ``rclone copyto`` / ``rclone copy`` with its defaults (4 transfers,
     5 MiB chunks, 4 chunks in flight, MD5 of the source for its metadata);
   * ``minio``: a plain loop of ``Minio.fput_object`` (its defaults: 5 MiB parts for 1 GiB, 3 threads);
   each tool in its own process, the rounds interleaved (engine, rclone, minio, engine, ...) ``--repeat``
   times; the table gives the median time, MiB/s, and the engine's throughput as a ratio to each other tool.
   Files are read from the page cache (written just before), objects are removed after each upload; the
   Python children cache their bytecode (see :meth:`Bench.python_env`), as an installed program does.
2. peak resident memory (``ru_maxrss`` of the uploading process, from ``wait4``) of the engine uploading a
   256 MiB and a 2 GiB file: it must stay under 200 MB and not grow with the file size.

Targets (the issue's): engine/rclone >= 1 and engine/minio >= 1 for both workloads; memory < 200 MB for 1 GiB
and about equal for 256 MiB and 2 GiB. Needs ``rclone`` (``apt-get install rclone``). Not a pytest module.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

MiB = 1024 * 1024
GiB = 1024 * MiB
VALUES = {"category": "Other", "source": "Benchmark", "area": "Italia", "frequency": "none", "format": "other",
          "personal_data": False, "uploader": "bench"}


# -- the uploading processes ---------------------------------------------------------------------


def _client(endpoint: str, access: str, secret: str, ca: str | None = None) -> Any:
    """The SDK's client; over HTTPS when ``ca`` (the CA bundle that vouches for the server) is given."""
    from minio import Minio

    from planet_gui.core.storage import make_http_pool

    return Minio(endpoint, access_key=access, secret_key=secret, secure=ca is not None, region="us-east-1",
                 http_client=make_http_pool(ca))  # the app's HTTP pool (timeouts, retries, TLS settings)


def record_requests(out: Path, started: float) -> None:
    """Time every HTTP request of this process (both tools go through urllib3's connection pool); at exit, write
    them to ``out`` as JSON: [start, end, bytes sent] in seconds since ``started`` (the parent's clock, taken
    just before it started this process). ``bench_phases.py`` reads it."""
    import atexit

    import urllib3.connectionpool

    requests: list[tuple[float, float, int]] = []
    send = urllib3.connectionpool.HTTPConnectionPool.urlopen

    def timed(self: Any, method: str, url: str, body: Any = None, *args: Any, **kwargs: Any) -> Any:
        began = time.time()
        try:
            return send(self, method, url, body, *args, **kwargs)
        finally:
            requests.append((began - started, time.time() - started, len(body) if body is not None else 0))

    urllib3.connectionpool.HTTPConnectionPool.urlopen = timed  # type: ignore[method-assign]

    def write() -> None:
        out.write_text(json.dumps({"requests": requests}), encoding="utf-8")

    atexit.register(write)


def child_engine(args: argparse.Namespace) -> None:
    from planet_gui.core.profile import Buckets
    from planet_gui.core.schema import load_schema
    from planet_gui.core.transfer import EngineSetup, Journal, TransferEngine, TransferSettings, UploadItem

    client = _client(args.endpoint, args.access, args.secret, args.ca)
    journal = Journal(Path(args.journal))
    settings = TransferSettings()
    if args.part_size or args.concurrency:  # for tuning runs; the benchmark itself uses the defaults
        settings = TransferSettings(concurrency=args.concurrency or settings.concurrency,
                                    file_concurrency=args.concurrency or settings.file_concurrency,
                                    part_size=(args.part_size or settings.part_size // MiB) * MiB)
    engine = TransferEngine(EngineSetup(lambda: client, Buckets(), load_schema(), journal, scope="bench",
                                        settings=settings))
    paths = [Path(p) for p in args.paths]
    items = [UploadItem(p, f"{args.prefix}/{p.name}", VALUES) for p in paths]
    outcomes = engine.run(items)
    engine.close()
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise SystemExit(f"engine failed: {failed[0].error}")


def child_minio(args: argparse.Namespace) -> None:
    client = _client(args.endpoint, args.access, args.secret, args.ca)
    for path in args.paths:
        client.fput_object("raw", f"{args.prefix}/{Path(path).name}", path)


# -- the parent ----------------------------------------------------------------------------------


@dataclass
class Measure:
    seconds: list[float] = field(default_factory=list)
    peak_rss: list[int] = field(default_factory=list)  # bytes

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def _run(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time and peak RSS (bytes) of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    out = process.stdout.read() if process.stdout else b""
    err = process.stderr.read() if process.stderr else b""
    if status != 0:
        raise RuntimeError(f"{argv[:3]} failed ({status}): {err.decode(errors='replace')[-2000:]} {out[-500:]!r}")
    return elapsed, usage.ru_maxrss * 1024


class Bench:
    def __init__(self, workdir: Path, endpoint: str, access: str, secret: str, ca: Path | None = None) -> None:
        self.workdir = workdir
        self.endpoint = endpoint
        self.access = access
        self.secret = secret
        self.ca = ca  # every tool speaks HTTPS and trusts this CA only
        self.round = 0

    def _child(self, kind: str, paths: list[Path], prefix: str) -> list[str]:
        # "--opt=value": a random secret may start with "-", which argparse would take for an option
        return [sys.executable, str(Path(__file__).resolve()), "--child", kind, f"--endpoint={self.endpoint}",
                f"--access={self.access}", f"--secret={self.secret}", f"--prefix={prefix}",
                *([f"--ca={self.ca}"] if self.ca else []),
                "--journal", str(self.workdir / f"journal-{self.round}.sqlite3"), *map(str, paths)]

    def python_env(self) -> dict[str, str]:
        """The Python children's environment: with bytecode caches, as an installed program has them.

        The test scripts set PYTHONDONTWRITEBYTECODE, which would make the engine's child compile its modules at
        every start while the SDK's come precompiled from site-packages.  Here both cache their bytecode under
        the work directory, and the warm-up uploads fill it before anything is measured.
        """
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(self.workdir / "pycache")
        return env

    def rclone_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "RCLONE_"))}
        env.update({"RCLONE_CONFIG_BENCH_TYPE": "s3", "RCLONE_CONFIG_BENCH_PROVIDER": "Other",
                    "RCLONE_CONFIG_BENCH_ACCESS_KEY_ID": self.access,
                    "RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY": self.secret,
                    "RCLONE_CONFIG_BENCH_ENDPOINT": f"{'https' if self.ca else 'http'}://{self.endpoint}",
                    "RCLONE_CONFIG_BENCH_REGION": "us-east-1", "RCLONE_CONFIG": "/dev/null"})
        if self.ca:
            env["RCLONE_CA_CERT"] = str(self.ca)
        return env

    def upload(self, tool: str, paths: list[Path], folder: Path | None) -> tuple[float, int]:
        self.round += 1
        prefix = f"bench/{tool}/{self.round}"
        if tool in ("engine", "minio"):
            result = _run(self._child(tool, paths, prefix), env=self.python_env())
        elif tool == "rclone":
            if folder is None:
                argv = ["rclone", "copyto", str(paths[0]), f"bench:raw/{prefix}/{paths[0].name}"]
            else:
                argv = ["rclone", "copy", str(folder), f"bench:raw/{prefix}"]
            result = _run(argv, env=self.rclone_env())
        else:
            raise ValueError(tool)
        self._check_and_clean(prefix, paths)
        # not timed: the next upload starts with nothing left to write back, instead of paying for this one's
        # gigabyte while the kernel flushes it (that cost landed on whichever tool came next)
        os.sync()
        return result

    def _check_and_clean(self, prefix: str, paths: list[Path]) -> None:
        from minio.deleteobjects import DeleteObject

        client = _client(self.endpoint, self.access, self.secret, str(self.ca) if self.ca else None)
        objects = list(client.list_objects("raw", prefix=prefix + "/", recursive=True))
        sizes = sorted(o.size or 0 for o in objects)
        expected = sorted(p.stat().st_size for p in paths)
        if sizes != expected:
            raise RuntimeError(f"{prefix}: the server holds {len(objects)} objects of the wrong sizes")
        errors = list(client.remove_objects("raw", [DeleteObject(o.object_name or "") for o in objects]))
        if errors:
            raise RuntimeError(f"could not clean {prefix}: {errors[0]}")


def make_file(path: Path, size: int, seed: int) -> Path:
    if path.exists() and path.stat().st_size == size:
        return path
    block = bytearray(os.urandom(MiB))
    with path.open("wb") as handle:
        for index in range(-(-size // MiB)):
            block[:16] = index.to_bytes(8, "little") + seed.to_bytes(8, "little")
            handle.write(bytes(block[: min(MiB, size - index * MiB)]))
    return path


def warm(paths: list[Path]) -> None:
    for path in paths:
        with path.open("rb") as handle:
            while handle.read(16 * MiB):
                pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the generated files for the next run")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--child", choices=["engine", "minio"])
    parser.add_argument("--endpoint")
    parser.add_argument("--access")
    parser.add_argument("--secret")
    parser.add_argument("--prefix")
    parser.add_argument("--journal")
    parser.add_argument("--tls", action="store_true",
                        help="upload over HTTPS (a certificate from a test CA), as the lake is reached")
    parser.add_argument("--ca", help=argparse.SUPPRESS)  # a child's CA bundle: it speaks HTTPS
    parser.add_argument("--part-size", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--phases", help=argparse.SUPPRESS)  # a child's request timings (bench_phases.py)
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    if args.phases:
        record_requests(Path(args.phases), float(os.environ["BENCH_STARTED"]))
    if args.child == "engine":
        child_engine(args)
        return 0
    if args.child == "minio":
        child_minio(args)
        return 0
    if shutil.which("rclone") is None:
        print("rclone is not installed: apt-get install rclone", file=sys.stderr)
        return 2

    from tests.support.certs import make_ca_and_server_cert
    from tests.support.servers import OidcServer, S3Server

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-upload-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"work directory {workdir}", flush=True)
    data = workdir / "data"
    data.mkdir(exist_ok=True)
    big = make_file(data / "one-gib.bin", GiB, 1)
    many_dir = data / "many"
    many_dir.mkdir(exist_ok=True)
    many = [make_file(many_dir / f"file-{i:03d}.bin", 5 * MiB, 100 + i) for i in range(200)]

    for stale in ("oidc", "s3", "s3-tls"):  # servers' state from an earlier run (with --keep, SeaweedFS's data)
        shutil.rmtree(workdir / stale, ignore_errors=True)
    oidc = OidcServer.start(workdir / "oidc")
    tls = None
    if args.tls:
        (workdir / "s3-tls").mkdir()
        tls = make_ca_and_server_cert(workdir / "s3-tls")
    s3 = S3Server.start(workdir / "s3", oidc_issuer=oidc.issuer, tls=tls)
    rows: list[str] = [f"Over {'HTTPS' if tls else 'plain HTTP'}.", ""]
    try:
        if tls is not None and s3.https_endpoint is not None:
            bench = Bench(workdir, s3.https_endpoint, s3.admin_access_key, s3.admin_secret_key, tls.ca)
        else:
            bench = Bench(workdir, s3.endpoint, s3.admin_access_key, s3.admin_secret_key)
        for tool in ("minio", "engine"):  # not measured: the fresh server sets up its volumes, bytecode is cached
            bench.upload(tool, [many[0]], None)
        workloads: list[tuple[str, list[Path], Path | None, int]] = [
            ("1 GiB file", [big], None, GiB), ("200 x 5 MiB", many, many_dir, 200 * 5 * MiB)]
        tools = ("engine", "rclone", "minio")
        results: dict[tuple[str, str], Measure] = {}
        for name, paths, folder, total in workloads:
            warm(paths)
            for repeat in range(args.repeat):
                for tool in tools if repeat % 2 == 0 else tuple(reversed(tools)):
                    seconds, rss = bench.upload(tool, paths, folder)
                    measure = results.setdefault((name, tool), Measure())
                    measure.seconds.append(seconds)
                    measure.peak_rss.append(rss)
                    print(f"  {name:12} {tool:7} {seconds:6.2f} s  {total / MiB / seconds:7.1f} MiB/s  "
                          f"peak RSS {rss / MiB:6.1f} MiB", flush=True)
        rows.append("| workload | tool | median time (s) | MiB/s | peak RSS (MiB) | engine ÷ tool throughput "
                    "| same round, lowest–highest |")
        rows.append("|---|---|---:|---:|---:|---:|---:|")
        for name, _paths, _folder, total in workloads:
            engine_time = results[(name, "engine")].median
            for tool in tools:
                measure = results[(name, tool)]
                ratio = measure.median / engine_time
                # each round's own ratio shows the run-to-run spread the medians hide
                paired = sorted(t / e for t, e in zip(measure.seconds, results[(name, "engine")].seconds,
                                                      strict=True))
                rows.append(f"| {name} | {tool} | {measure.median:.2f} | {total / MiB / measure.median:.1f} | "
                            f"{max(measure.peak_rss) / MiB:.0f} | {'—' if tool == 'engine' else f'{ratio:.2f}'} | "
                            f"{'—' if tool == 'engine' else f'{paired[0]:.2f}–{paired[-1]:.2f}'} |")
        if not args.skip_memory:
            rows.append("")
            rows.append("| engine, one file | peak RSS (MiB) | time (s) |")
            rows.append("|---|---:|---:|")
            for size, label in ((256 * MiB, "256 MiB"), (GiB, "1 GiB"), (2 * GiB, "2 GiB")):
                path = big if size == GiB else make_file(data / f"mem-{label.replace(' ', '')}.bin", size, 7)
                warm([path])
                seconds, rss = bench.upload("engine", [path], None)
                rows.append(f"| {label} | {rss / MiB:.0f} | {seconds:.1f} |")
                if not args.keep and path != big:
                    path.unlink()
    finally:
        s3.kill()
        s3.stop()
        oidc.stop()
        for state in ("oidc", "s3", "s3-tls"):  # --keep keeps the generated files, never the servers' data
            shutil.rmtree(workdir / state, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)
    print()
    print("\n".join(rows))
    (workdir / "results.md").write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(json.dumps({"results": str(workdir / "results.md")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
