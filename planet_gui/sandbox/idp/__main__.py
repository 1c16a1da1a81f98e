"""``python -m planet_gui.sandbox.idp --home DIR --port N --audience AUD``: run the sandbox's provider until
SIGTERM (or until its parent dies: the sandbox starts it with PR_SET_PDEATHSIG). The app's client secret comes
in the environment (``SECRET_ENV``), never on the command line, which every account can read."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from planet_gui.sandbox.idp import SECRET_ENV
from planet_gui.sandbox.idp.provider import Provider
from planet_gui.sandbox.idp.web import IdpServer

LOOPBACK = "127.0.0.1"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="planet-sandbox-idp")
    parser.add_argument("--home", required=True, help="private folder for the signing key and refresh tokens")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--audience", required=True, help="the aud of access tokens: the S3 STS client id")
    args = parser.parse_args(argv)
    secret = os.environ.pop(SECRET_ENV, "")
    if not secret:
        parser.error(f"{SECRET_ENV} is not set")
    provider = Provider(Path(args.home), f"http://{LOOPBACK}:{args.port}/", args.audience, secret)
    server = IdpServer((LOOPBACK, args.port), provider)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    print(f"sandbox identity provider ready at {provider.issuer}", file=sys.stderr, flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
