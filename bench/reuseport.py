"""Serve an ASGI app factory as the service's HTTP workers listen: a process per socket of one port.

    python -m bench.reuseport module:factory --port P [--host H] [--workers N]

The framework baseline of `bench.speed` runs here so that it accepts connections as the service
does (SO_REUSEPORT, the kernel spreading them over the workers' sockets). Under `uvicorn
--workers`, one shared socket, a burst of 64 keep-alive connections was often accepted whole by
one worker while the other idled (5,400-5,500 against 8,360 cached req/s, 2026-11-30), which
flattered the service's ratio to it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys

import uvicorn

from service.prefork import listening_sockets


def main() -> None:
    """Bind the sockets, fork one uvicorn process per socket, stop them all on SIGTERM or SIGINT."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", help="module:factory of the ASGI app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    socks = listening_sockets(args.host, args.port, args.workers)
    children = []
    for sock in socks:
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            config = uvicorn.Config(args.app, factory=True, log_level="warning", access_log=False)
            uvicorn.Server(config).run(sockets=[sock])
            os._exit(0)
        children.append(pid)

    def stop(_signum: int, _frame: object) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(child, 0)
    sys.exit(0)


if __name__ == "__main__":
    main()
