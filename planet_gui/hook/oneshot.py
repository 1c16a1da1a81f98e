"""``planet-lake hook --event FILE|-``: check exactly the objects one S3 event document names, then exit.

This is how PLANET's lake runs the hook: an Argo Events Sensor starts a workflow for each MinIO event, and the
workflow's container runs the hook once on that event. Argo retries a failed step, and MinIO may deliver an event
twice, so several one-shot hooks can start on the same object at once; the claim each takes before judging
(:mod:`planet_gui.hook.claims`) lets only one of them move it and notify. The others wait (at most ``CLAIM_WAIT``
seconds) for that hook's verdict and report it, so every run ends saying where the object went.

Exit status: 0 when every object named got a verdict (from this run or from an earlier one) or needs none now
(a metadata sidecar, which moves with its data; an upload still recording its SHA-256, whose sealing copy sends
an event of its own); 1 otherwise, each reason on standard error.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from planet_gui.core.lake import TRIAGE_REASON_KEY, VERDICT_KEY
from planet_gui.core.status import split_reasons
from planet_gui.hook.events import created_objects
from planet_gui.hook.service import Skip, ValidationHook, Verdict

log = logging.getLogger("planet_gui.hook")

_RECHECK = 0.5  # seconds between looks while another hook holds the object


@dataclass(frozen=True)
class Outcome:
    key: str
    ok: bool
    text: str


def _said(verdict: Verdict) -> str:
    if verdict.valid:
        return f"{verdict.key}: validated (moved to {verdict.destination})"
    return f"{verdict.key}: triage (moved to {verdict.destination}): {'; '.join(verdict.problems)}"


def _earlier(hook: ValidationHook, key: str) -> Outcome | None:
    """The verdict an earlier (or concurrent) run left on the object's copy, if it is out of raw."""
    copy = hook.checked_copy(key)
    if copy is None:
        return None
    verdict = copy.metadata.get(VERDICT_KEY.lower(), "")
    reasons = copy.metadata.get(TRIAGE_REASON_KEY.lower())
    why = f": {'; '.join(split_reasons(reasons))}" if reasons else ""
    return Outcome(key, True, f"{key}: {verdict} (already in {copy.bucket}, checked by another run){why}")


def check_one(hook: ValidationHook, key: str, stop: threading.Event, wait: float) -> Outcome:
    """Decide ``key``, or report the decision another hook made or is making on it."""
    raw = hook.config.buckets.raw
    waited = 0.0
    while True:
        decision = hook.decide(key)
        if decision.verdict is not None:
            return Outcome(key, True, _said(decision.verdict))
        if decision.skip is Skip.SIDECAR:
            return Outcome(key, True, f"{key}: a metadata sidecar; it moves with its data object")
        if decision.skip is Skip.SEALING:
            return Outcome(key, True, f"{key}: its upload is still recording its SHA-256; the event of that last "
                                      "step brings it back (and the sweep sends it to triage if that never comes)")
        if decision.skip is Skip.RESERVED:
            return Outcome(key, False, f"{key}: its name lies in the hook's own area (.planet-hook/) of the "
                                       "destination, where no upload may go; it is left where it is")
        if decision.skip is Skip.GONE:
            earlier = _earlier(hook, key)
            if earlier is not None:
                return earlier
            return Outcome(key, False, f"{key}: no such object in {raw} (nor in {hook.config.buckets.validated} or "
                                       f"{hook.config.buckets.triage}): the event names an object that does not "
                                       "exist, or it was removed before it could be checked")
        # CLAIMED (another hook is judging this very version) or CHANGED (it moved or was replaced under us)
        if waited >= wait:
            return Outcome(key, False, f"{key}: another hook has been checking it for over {wait:.0f} s; run this "
                                       "again later (a hook that died leaves its claim for one CLAIM_TTL lease)")
        if decision.skip is Skip.CLAIMED and waited == 0.0:
            log.info("%s: another hook is checking it; waiting for its verdict", key)
        if stop.wait(_RECHECK):
            return Outcome(key, False, f"{key}: interrupted before it got a verdict")
        waited += _RECHECK


def run_event(hooks: Callable[[str, str], ValidationHook | None], document: Any,
              stop: threading.Event) -> list[Outcome]:
    """Check every object whose creation ``document`` reports, each by the hook of the raw location holding it
    (``hooks(bucket, key)``); an object in a location no hook serves gets an outcome that says so (and is never
    touched)."""
    outcomes: list[Outcome] = []
    for bucket, key in created_objects(document):
        hook = hooks(bucket, key)
        if hook is None:
            outcomes.append(Outcome(key, False, f"{bucket}/{key}: this hook serves no raw location holding it "
                                                "(set RAW_BUCKET or DESTINATIONS for the location the event "
                                                "comes from)"))
            continue
        try:
            outcomes.append(check_one(hook, key, stop, hook.config.claim_wait))
        except Exception as exc:  # the server went away mid-move: the object is still in raw, for the retry
            outcomes.append(Outcome(key, False, f"{key}: could not be checked: {exc}"))
    return outcomes
