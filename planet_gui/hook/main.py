"""``planet-lake hook``: the validation hook's entry point, wired here so that the client's CLI only registers it.

The hook is a server program: this module imports the lake contract, the schema, storage and the hook's own
modules, never the session, the upload engine or Qt (the import contracts in ``pyproject.toml`` keep it so).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planet_gui.core.errors import PlanetError

if TYPE_CHECKING:
    from collections.abc import Callable

    from minio import Minio

    from planet_gui.hook.config import HookConfig
    from planet_gui.hook.service import ValidationHook
    from planet_gui.hook.sources import EventSource
    from planet_gui.hook.webhook import WebhookSource


def register(sub: Any) -> None:
    """Add the ``hook`` command to ``planet-lake``'s sub-commands."""
    hk = sub.add_parser("hook", help="run the server-side validation hook")
    how = hk.add_mutually_exclusive_group(required=True)
    how.add_argument("--poll", action="store_true", help="poll the raw bucket for new objects (any S3 server)")
    how.add_argument("--listen", nargs="?", const="", metavar="HOST:PORT",
                     help="receive S3 event records (MinIO's webhook target) on HOST:PORT (default: LISTEN, "
                          "127.0.0.1:9880) and sweep the raw bucket every RESCAN_INTERVAL s")
    how.add_argument("--event", metavar="FILE|-",
                     help="check the objects one S3 event document names (MinIO's or Argo Events' format; - for "
                          "standard input), then exit: 0 when each got a verdict")
    hk.add_argument("--interval", type=float, default=None, help="seconds between polls (with --poll)")
    hk.add_argument("--once", action="store_true", help="one pass over the raw bucket, then exit")
    hk.add_argument("--config", help="TOML config (else ENDPOINT, ACCESSKEYID, SECRETACCESSKEY)")
    hk.add_argument("--schema", help="metadata schema (default: the PLANET schema)")
    hk.set_defaults(func=cmd_hook)


def cmd_hook(args: argparse.Namespace) -> int:
    from planet_gui.core.schema import load_schema
    from planet_gui.core.storage import make_admin_minio
    from planet_gui.hook import checks
    from planet_gui.hook.config import for_destination, load_config, parse_listen, serving
    from planet_gui.hook.notify import build_notifier
    from planet_gui.hook.service import ValidationHook
    from planet_gui.hook.sources import PollingSource

    if args.poll is False and (args.once or args.interval is not None):
        raise PlanetError("--once and --interval go with --poll; with --listen, RESCAN_INTERVAL sets the sweeps.",
                          title="Usage")
    config = load_config(Path(args.config) if args.config else None)
    client = make_admin_minio(config.endpoint, config.access_key, config.secret_key, secure=config.secure,
                              region=config.region, ca_bundle=config.ca_bundle)
    notifier = build_notifier(config)
    schema = load_schema(Path(args.schema) if args.schema else None)
    hooks = [ValidationHook(client, for_destination(config, place), schema, notify=notifier)
             for place in config.places]
    checks.publish(client, config, schema)  # what the clients validate with (planet_gui.core.lake_schema)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    if args.event is not None:
        def hook_for(bucket: str, key: str) -> ValidationHook | None:
            served = serving(config, bucket, key)
            return None if served is None else hooks[config.places.index(served.destination)]

        code = _one_event(hook_for, args.event, stop)
        for each in hooks:  # what a hook killed before its notification left (planet_gui.hook.outbox)
            each.deliver_pending()
        return code
    log = logging.getLogger("planet_gui.hook")
    if config.notify_url:
        log.info("triage verdicts are posted to the NOTIFY_URL endpoint")
    if config.smtp is not None:
        log.info("triage verdicts are e-mailed through %s", config.smtp.host)
    if args.listen is not None:
        webhook = _webhook_source(config, client, parse_listen(args.listen) if args.listen else config.listen)
        for place in config.places:
            log.info("hook listening on %s for events of %s/%s; sweeping it every %.0f s (validated: %s, triage: "
                     "%s)", webhook.url, config.endpoint, place.raw, config.rescan_interval, place.validated,
                     place.triage)
        print(f"hook ready, listening on {webhook.url}", file=sys.stderr, flush=True)
        _run_all(list(zip(hooks, webhook.locations, strict=True)), stop)
        return 0
    interval = args.interval if args.interval is not None else config.poll_interval
    sources = [PollingSource(client, place.raw.bucket, interval=interval, once=args.once,
                             prefix=place.raw.prefix) for place in config.places]
    for place in config.places:
        log.info("hook polling %s/%s every %.1f s (validated: %s, triage: %s)", config.endpoint, place.raw,
                 interval, place.validated, place.triage)
    print("hook ready", file=sys.stderr, flush=True)
    _run_all(list(zip(hooks, sources, strict=True)), stop)
    return 0


def _one_event(hooks: Callable[[str, str], ValidationHook | None], where: str, stop: threading.Event) -> int:
    """``--event FILE|-``: one event document, read with a cap; each object's outcome on its own line."""
    from planet_gui.hook.events import BadEvent, read_event
    from planet_gui.hook.oneshot import run_event

    try:
        if where == "-":
            document = read_event(sys.stdin.buffer)
        else:
            with open(where, "rb") as handle:
                document = read_event(handle)
        outcomes = run_event(hooks, document, stop)
    except OSError as exc:
        raise PlanetError(f"Cannot read the event document {where}: {exc.strerror or exc}.",
                          title="No event") from exc
    except BadEvent as exc:
        raise PlanetError(f"{exc}.", title="Not an S3 event") from exc
    if not outcomes:
        print("the event names no object created in a bucket: nothing to check", file=sys.stderr)
        return 0
    for outcome in outcomes:
        print(outcome.text, file=sys.stdout if outcome.ok else sys.stderr, flush=True)
    return 0 if all(outcome.ok for outcome in outcomes) else 1


def _run_all(pairs: list[tuple[ValidationHook, EventSource]], stop: threading.Event) -> None:
    """One hook per raw location: the first in this thread, the others each in a thread of its own."""
    threads = [threading.Thread(target=hook.run, args=(source, stop), name=f"hook-{index}", daemon=True)
               for index, (hook, source) in enumerate(pairs[1:], start=1)]
    for thread in threads:
        thread.start()
    first, source = pairs[0]
    first.run(source, stop)
    for thread in threads:
        thread.join()


def _webhook_source(config: HookConfig, client: Minio, address: tuple[str, int]) -> WebhookSource:
    from planet_gui.hook.webhook import WebhookSource

    host, port = address
    if not config.webhook_token and host not in {"127.0.0.1", "::1", "localhost"}:
        logging.getLogger("planet_gui.hook").warning(
            "listening on %s without WEBHOOK_TOKEN: anyone who reaches this port can make the hook re-check "
            "objects; set the same token here and in MinIO's webhook target (auth_token)", host)
    try:
        first, *others = config.places
        return WebhookSource(client, first.raw.bucket, host, port, token=config.webhook_token,
                             rescan=config.rescan_interval, prefix=first.raw.prefix,
                             more=[(place.raw.bucket, place.raw.prefix) for place in others])
    except OSError as exc:
        raise PlanetError(f"The hook cannot listen on {host}:{port}: {exc.strerror or exc}.",
                          title="Cannot listen") from exc
