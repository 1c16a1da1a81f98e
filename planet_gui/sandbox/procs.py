"""The sandbox's child processes: each stops with the app, also when the app is killed.

Every child gets ``PR_SET_PDEATHSIG(SIGKILL)`` before it executes (so the kernel kills it the moment its parent
dies, whatever the way), in a new session (a Ctrl-C in the terminal reaches the app, which stops the children in
order). The kernel's "parent" is the *thread* that forked, so every child is forked by one thread that lives as
long as the process (:data:`_SPAWNER`), never by a short-lived worker thread.
"""

from __future__ import annotations

import concurrent.futures
import ctypes
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

LOOPBACK = "127.0.0.1"
_PR_SET_PDEATHSIG = 1
MAX_LOG = 4 * 1024 * 1024

_prctl: Callable[..., int] | None = None
if sys.platform.startswith("linux"):
    _prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before any fork: preexec must not load libraries



def module_command(module: str, *args: str) -> list[str]:
    """The command that runs ``python -m module args`` with this very ``planet_gui``.

    From a wheel or a checkout that is the running interpreter. A PyInstaller bundle has no interpreter to call:
    its ``planet-lake`` program runs a bundled module when asked with ``--run-module`` (installers/entry_cli.py),
    so the sandbox also starts from the desktop bundle.
    """
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).with_name("planet-lake")), "--run-module", module, *args]
    return [sys.executable, "-m", module, *args]


class _Spawner:
    """One daemon thread that forks every child and never ends before the process does (a pool's worker would
    be joined at interpreter exit, and its end would SIGKILL the children before the sandbox stops them)."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], concurrent.futures.Future[Any]]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, fn: Callable[[], Any]) -> concurrent.futures.Future[Any]:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="sandbox-spawner", daemon=True)
                self._thread.start()
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._jobs.put((fn, future))
        return future

    def _run(self) -> None:
        while True:
            fn, future = self._jobs.get()
            try:
                future.set_result(fn())
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                future.set_exception(exc)


_SPAWNER = _Spawner()


class StartError(RuntimeError):
    """A sandbox process did not start or did not become ready; the message ends with its log."""


def _preexec(parent: int) -> Callable[[], None]:
    def run() -> None:
        if _prctl is not None:
            _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died between fork and prctl: nobody will stop us
            os._exit(1)

    return run


class Child:
    """A child process with its output appended to a log file; :meth:`stop` ends it and reaps it."""

    def __init__(self, name: str, argv: Sequence[str], *, env: Mapping[str, str], log_path: Path,
                 cwd: Path | None = None) -> None:
        self.name = name
        self.log_path = log_path
        log_path.parent.mkdir(parents=True, exist_ok=True)
        if log_path.exists() and log_path.stat().st_size > MAX_LOG:  # bounded: the last two logs are kept
            os.replace(log_path, log_path.with_name(log_path.name + ".old"))
        with log_path.open("ab") as log:
            log.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} starting {name}\n".encode())
            log.flush()
            future = _SPAWNER.submit(lambda: subprocess.Popen(  # noqa: S603 - argv built by the sandbox
                list(argv), cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, preexec_fn=_preexec(os.getpid()),
            ))
            self.popen: subprocess.Popen[bytes] = future.result()

    @property
    def pid(self) -> int:
        return self.popen.pid

    def running(self) -> bool:
        return self.popen.poll() is None

    def stop(self, timeout: float = 8.0) -> None:
        """SIGTERM its process group, SIGKILL after ``timeout`` s; always reaps it. Idempotent."""
        if self.popen.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.popen.wait(timeout=10)
        self._signal(signal.SIGKILL)  # whatever else it left in its group

    def kill(self) -> None:
        """SIGKILL its process group and reap it (for a server that has stored nothing yet)."""
        self._signal(signal.SIGKILL)
        self.popen.wait(timeout=10)

    def _signal(self, sig: signal.Signals) -> None:
        try:
            os.killpg(self.popen.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError as exc:
            return f"<cannot read {self.log_path}: {exc}>"


def port_is_free(port: int) -> bool:
    """Whether a server could listen on ``port`` now (as servers do, a port in TIME_WAIT counts as free)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def free_ports(count: int) -> list[int]:
    """``count`` distinct ports free on 127.0.0.1 now (all held open while choosing, so no duplicates)."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((LOOPBACK, 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def free_port_pair(offset: int, exclude: set[int]) -> tuple[int, int]:
    """A free port ``p`` with ``p + offset`` free too (weed's admin HTTP/gRPC pair)."""
    for _ in range(500):
        (port,) = free_ports(1)
        partner = port + offset
        if partner <= 65535 and port not in exclude and partner not in exclude and port_is_free(partner):
            return port, partner
    raise StartError(f"found no free port pair (p, p+{offset}) on {LOOPBACK}")


#: seconds between two rounds of readiness probes: the start is seen ready at most this long after it is
POLL_INTERVAL = 0.05


def wait_all(probes: Mapping[str, Callable[[], bool]], children: Mapping[str, Child], *, timeout: float,
             began: float) -> dict[str, float]:
    """Poll every probe in turn, every :data:`POLL_INTERVAL` s, until each has said True once; return the seconds
    from ``began`` (a ``time.monotonic()``) to each one's first True. Polled together, so one slow server never
    delays seeing another ready, and each time is that server's own. :class:`StartError` if the child of the same
    name (looked up at each round: a probe may restart it) exits first or ``timeout`` s pass (a probe that raises
    means "not ready yet")."""
    deadline = time.monotonic() + timeout
    pending = dict(probes)
    ready: dict[str, float] = {}
    last: dict[str, str] = {}
    while pending:
        for name, probe in list(pending.items()):
            try:
                answered = probe()
            except Exception as exc:  # noqa: BLE001 - a failing probe means "not ready yet"
                answered, last[name] = False, f"{type(exc).__name__}: {exc}"
            child = children[name]  # after the probe, which may have restarted it
            if answered:
                ready[name] = time.monotonic() - began
                del pending[name]
            elif not child.running():
                raise StartError(f"{child.name} exited (code {child.popen.returncode}) before it was ready; "
                                 f"log {child.log_path}:\n{child.log_tail()}")
        if not pending:
            break
        if time.monotonic() > deadline:
            name = next(iter(pending))
            child = children[name]
            raise StartError(f"{child.name} not ready after {timeout:.0f} s ({last.get(name) or 'no answer'}); "
                             f"log {child.log_path}:\n{child.log_tail()}")
        time.sleep(POLL_INTERVAL)
    return ready
