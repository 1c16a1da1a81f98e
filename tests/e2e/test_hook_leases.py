"""Claims are leases (:mod:`planet_gui.hook.claims`): a hook pod that dies mid-judgement under Argo leaves its
claim, and Argo's retry runs in another pod, on another machine, where the dead-PID check cannot apply. The retry
must take over once the lease ran out (not after an hour) and give the object one verdict and one notification,
however many retries race for it; a live holder whose work outlasts several leases keeps renewing its claim and is
never overtaken.

Real processes against the real S3 server: the holder dies by a real SIGKILL (``PLANET_HOOK_CRASH_AT=claimed``,
right after it took the claim) or works slowly (``PLANET_HOOK_PAUSE_AT=claimed:SECONDS``); ``PLANET_HOOK_HOST``
gives each hook its own machine name, so no hook can judge another's process.
"""

from __future__ import annotations

import json
import queue
import subprocess
from typing import Any

import pytest

from planet_gui.hook.claims import PREFIX
from planet_gui.hook.outbox import PREFIX as OUTBOX
from tests.conftest import ROOT, Lake, wait_for
from tests.e2e.test_hook_events import VALID, exists, minio_event, own_buckets, put
from tests.e2e.test_hook_oneshot import NO_CATEGORY, hook_command, hook_env, receiver, run_hook  # noqa: F401
from tests.support.servers import die_with_parent

pytestmark = pytest.mark.e2e

LEASE = "2"  # seconds: CLAIM_TTL for every hook here


def test_a_claim_left_by_a_killed_pod_is_taken_over_by_exactly_one_retry_elsewhere(
    lake: Lake, receiver: tuple[str, queue.Queue[dict[str, Any]]]  # noqa: F811
) -> None:
    url, received = receiver
    buckets = own_buckets(lake, "leasekilled")
    key = "Other/PLANET tests/alice/pod ucciso.txt"
    put(lake, buckets.raw, key, NO_CATEGORY)  # goes to triage: its uploader is notified
    document = minio_event(buckets.raw, key)

    crashed = run_hook(lake, buckets, document, NOTIFY_URL=url, CLAIM_TTL=LEASE, PLANET_HOOK_HOST="pod-a",
                       PLANET_HOOK_CRASH_AT="claimed")
    assert crashed.returncode == -9, crashed.stderr  # a real kill, holding the claim
    assert len(list(lake.admin().list_objects(buckets.triage, prefix=PREFIX, recursive=True))) == 1
    assert exists(lake, buckets.raw, key) and received.empty()

    # three retries at once, each on a machine of its own: they wait out the lease, one takes over
    retries = [subprocess.Popen(hook_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, cwd=ROOT, preexec_fn=die_with_parent,
                                env=hook_env(lake, buckets, NOTIFY_URL=url, CLAIM_TTL=LEASE, CLAIM_WAIT="120",
                                             PLANET_HOOK_HOST=f"pod-{n}"))
               for n in "bcd"]
    try:
        results = [retry.communicate(json.dumps(document), timeout=150) for retry in retries]
    finally:
        for retry in retries:
            if retry.poll() is None:
                retry.kill()
                retry.wait()
    assert [retry.returncode for retry in retries] == [0, 0, 0], results
    movers = [out for out, _ in results if f"{key}: triage (moved to {buckets.triage})" in out]
    assert len(movers) == 1, results  # one verdict; the others report it
    assert sum("taking over the claim" in err for _, err in results) >= 1
    assert "unchanged for" in next(err for _, err in results if "taking over the claim" in err)
    message = received.get(timeout=5)
    assert message["key"] == key and message["bucket"] == buckets.triage
    assert received.empty()  # one notification: every hook has exited
    assert exists(lake, buckets.triage, key) and not exists(lake, buckets.raw, key)
    assert list(lake.admin().list_objects(buckets.triage, prefix=PREFIX, recursive=True)) == []
    assert list(lake.admin().list_objects(buckets.triage, prefix=OUTBOX, recursive=True)) == []


def test_a_live_holder_slower_than_several_leases_keeps_its_claim(lake: Lake) -> None:
    buckets = own_buckets(lake, "leaselive")
    key = "Other/PLANET tests/alice/scansione lunga.txt"
    put(lake, buckets.raw, key, VALID)
    document = json.dumps(minio_event(buckets.raw, key))
    slow = subprocess.Popen(hook_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, preexec_fn=die_with_parent,
                            env=hook_env(lake, buckets, CLAIM_TTL=LEASE, PLANET_HOOK_HOST="pod-a",
                                         PLANET_HOOK_PAUSE_AT="claimed:9"))  # 4.5 leases
    try:
        assert slow.stdin is not None
        slow.stdin.write(document)
        slow.stdin.close()
        slow.stdin = None  # communicate() below only reads
        wait_for(lambda: any(True for _ in lake.admin().list_objects(buckets.triage, prefix=PREFIX, recursive=True)),
                 60, "the slow hook to take its claim")
        other = run_hook(lake, buckets, json.loads(document), CLAIM_TTL=LEASE, CLAIM_WAIT="120",
                         PLANET_HOOK_HOST="pod-b")
        out, err = slow.communicate(timeout=120)
    finally:
        if slow.poll() is None:
            slow.kill()
            slow.wait()
    assert slow.returncode == 0, err
    assert f"{key}: validated (moved to {buckets.validated})" in out  # the holder decided
    assert "lost the claim" not in err
    renewed = [line for line in err.splitlines() if "released the claim" in line]
    assert len(renewed) == 1 and int(renewed[0].split(" after ")[1].split()[0]) >= 9  # every 2/3 s over 9 s, ±
    assert other.returncode == 0, other.stderr
    assert "taking over the claim" not in other.stderr  # it waited for the live holder's verdict
    assert f"{key}: validated (already in {buckets.validated}" in other.stdout
    assert exists(lake, buckets.validated, key) and not exists(lake, buckets.raw, key)


def test_a_run_that_looks_once_takes_over_a_claim_the_server_says_is_older_than_the_lease(lake: Lake) -> None:
    """The sweep and an outbox delivery look at a claim once: for them the claim's age is the server's Date minus
    its Last-Modified (the server's clock alone), so a lease long run out is taken over at the first look."""
    from email.utils import parsedate_to_datetime

    from tests.e2e.test_hook_oneshot import _claim

    buckets = own_buckets(lake, "leaseonce")
    key = "Other/PLANET tests/alice/guardato una volta.txt"
    put(lake, buckets.raw, key, VALID)
    _claim(lake, buckets, key, {"host": "a-pod-gone", "boot": "", "pid": 1, "started": ""})
    name = next(o.object_name for o in lake.admin().list_objects(buckets.triage, prefix=PREFIX, recursive=True))

    def server_age() -> float:
        stat = lake.admin().stat_object(buckets.triage, name)
        return (parsedate_to_datetime(stat.metadata["Date"]) - stat.last_modified).total_seconds()

    once = run_hook(lake, buckets, minio_event(buckets.raw, key), CLAIM_TTL="3", CLAIM_WAIT="0")
    assert once.returncode == 1 and exists(lake, buckets.raw, key)  # within the lease: left alone
    wait_for(lambda: server_age() > 4.5, 60, "the claim to be older than its lease by the server's clock")
    taken = run_hook(lake, buckets, minio_event(buckets.raw, key), CLAIM_TTL="3", CLAIM_WAIT="0")
    assert taken.returncode == 0, taken.stderr
    assert "taking over the claim" in taken.stderr
    assert exists(lake, buckets.validated, key) and not exists(lake, buckets.raw, key)
