"""The lab process: starts the API server, S3, the console page and the router, seeds, serves.

Run by `rhoai-doctor lab up` in its own session; SIGTERM stops every server and the process.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import base64
import json
import logging
import multiprocessing
import os
import signal
import socket
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml
from aiohttp import web

from lab.kube.auth import Authenticator
from lab.kube.server import ApiServer
from lab.kube.store import Store
from lab.model_cache import cache_file, demo_models
from lab.registry import LabRegistry
from lab.router import Router
from lab.s3 import LabS3, console_app
from lab.scenarios import REGISTRY_REPOSITORIES, RESTRICTED_PROJECT, SCENARIOS
from lab.seed import Seeder, seed_all, seed_bulk, shape_raw_predictors
from lab.seed.fleet import seed_fleet
from lab.state import LabState
from lab.ticker import run_ticker
from lab.tls import APPS_DOMAIN, create

# Connections waiting to be accepted, per server: a cluster's router and API server take
# hundreds at once (a sweep opens them in a burst); aiohttp's 128 would drop the rest (SYN retried).
BACKLOG = 1024


def _loopback_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


async def _serve(app: web.Application, ssl_context=None) -> tuple[web.AppRunner, int]:
    # Short grace on shutdown: open watch and log-follow streams must not hold `lab down` up.
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
    await runner.setup()
    sock = _loopback_socket()
    await web.SockSite(runner, sock, ssl_context=ssl_context, backlog=BACKLOG).start()
    return runner, sock.getsockname()[1]


def kubeconfig(api_url: str, ca_file: Path, tokens: dict[str, str]) -> str:
    ca_data = base64.b64encode(ca_file.read_bytes()).decode()
    return yaml.safe_dump(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {
                    "name": "rhoai-lab",
                    "cluster": {"server": api_url, "certificate-authority-data": ca_data},
                }
            ],
            "users": [{"name": user, "user": {"token": token}} for user, token in tokens.items()],
            "contexts": [
                {
                    "name": user,
                    "context": {
                        "cluster": "rhoai-lab",
                        "user": user,
                        "namespace": RESTRICTED_PROJECT,
                    },
                }
                for user in tokens
            ],
            "current-context": "lab-admin",
        },
        sort_keys=False,
    )


async def run(
    state: LabState, latency_ms: int, bulk: tuple[int, ...] = (), fleet: tuple[int, ...] = ()
) -> None:
    started = time.monotonic()
    loop = asyncio.get_running_loop()
    # The models take ~3 s of CPU to build: on the second core, while the servers start; once
    # built they are read from this machine's cache (a thread reads the file).
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        kept = cache_file().exists()
        models = loop.run_in_executor(None if kept else pool, demo_models)
        runners, info, s3, store = await _start(state, latency_ms, models, fleet)
    if bulk:
        seed_bulk(store, *bulk)
    info["startup_seconds"] = round(time.monotonic() - started, 3)
    state.write_private(state.info_file, json.dumps(info, indent=2))
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    ticker = asyncio.create_task(run_ticker(store))
    await stop.wait()
    ticker.cancel()
    for runner in runners:
        await runner.cleanup()
    s3.stop()
    state.info_file.unlink(missing_ok=True)
    state.pid_file.unlink(missing_ok=True)


def _seed(seeder: Seeder, fleet: tuple[int, ...]):
    """The scenarios, or with --fleet only the installation and the fleet (its counts exact)."""
    if not fleet:
        return seed_all(seeder)
    seeder.seed_cluster()
    seed_fleet(seeder, *fleet)
    shape_raw_predictors(seeder.store)
    return seeder.result


async def _start(
    state: LabState, latency_ms: int, models: asyncio.Future, fleet: tuple[int, ...] = ()
) -> tuple[list[web.AppRunner], dict, LabS3, Store]:
    tls = create(state.root)
    store, authn = Store(), Authenticator()
    s3 = LabS3()
    runners = []
    console_runner, console_port = await _serve(console_app())
    api = ApiServer(store, authn, latency_s=latency_ms / 1000)
    api_runner, api_port = await _serve(api.app(), tls.api_context)
    runners += [console_runner, api_runner]
    api_url = f"https://127.0.0.1:{api_port}"
    registry = LabRegistry(REGISTRY_REPOSITORIES)
    registry_runner, registry_port = await _serve(registry.app())
    registry.host = f"127.0.0.1:{registry_port}"
    runners.append(registry_runner)
    credentials = s3.create_user("rhoai-lab")
    s3.enable_auth()
    s3.anonymous_reader = credentials  # serves unsigned reads of public buckets
    tls_s3 = s3.twin(tls.api_context)  # the same buckets over TLS (the lab CA, for 127.0.0.1)
    seeder = Seeder(store, authn, s3, credentials, f"http://127.0.0.1:{console_port}", await models)
    seeder.tls_s3, seeder.ca_file = tls_s3, str(tls.ca_file)
    seeder.registry = registry
    # In a thread: the console page the seeding talks to is served by this event loop.
    seeded = await asyncio.to_thread(_seed, seeder, fleet)
    router = Router(
        store,
        seeded.served,
        api_url,
        str(tls.ca_file),
        seeded.proxy_token,
        latency_s=latency_ms / 1000,
        pod_tokens=seeded.pod_tokens,
    )
    s3.latency_s = latency_ms / 1000  # after seeding: the lab's own start-up stays fast
    router_runner, router_port = await _serve(router.app(), tls.router_context)
    runners.append(router_runner)
    state.write_private(state.kubeconfig, kubeconfig(api_url, tls.ca_file, seeded.user_tokens))
    info = {
        "pid": os.getpid(),
        "ready": True,
        "api": api_url,
        "router": f"127.0.0.1:{router_port}",
        "apps_domain": APPS_DOMAIN,
        "s3": s3.endpoint,
        "s3_tls": tls_s3.endpoint,
        "console": f"http://127.0.0.1:{console_port}",
        "registry": registry.host,
        "ca_file": str(tls.ca_file),
        "kubeconfig": str(state.kubeconfig),
        "tokens": seeded.user_tokens,
        "s3_credentials": {
            "access_key_id": credentials.access_key_id,
            "secret_access_key": credentials.secret_access_key,
        },
        "scenarios": [] if fleet else [s.project for s in SCENARIOS],
        **({"fleet": list(fleet)} if fleet else {}),
    }
    return runners, info, s3, store


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="rhoai-doctor-lab-daemon")
    parser.add_argument("--state", required=True)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument(
        "--bulk",
        default="",
        help="DEPLOYMENTS,EVENTS[,PROJECTS]: in a bulk-project, or over PROJECTS",
    )
    parser.add_argument(
        "--fleet", default="", help="PROJECTS,DEPLOYMENTS: a mixed fleet instead of the scenarios"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    state = LabState(Path(args.state))
    state.prepare()
    state.pid_file.write_text(str(os.getpid()))
    bulk = tuple(int(x) for x in args.bulk.split(",")) if args.bulk else ()
    fleet = tuple(int(x) for x in args.fleet.split(",")) if args.fleet else ()
    asyncio.run(run(state, args.latency_ms, bulk, fleet))
    # Every server is closed and the state files are gone: the interpreter's teardown would
    # free the store, moto's buckets and the models object by object (~0.5 s of `lab down`)
    # for memory the system takes back at once. The exit functions still run (logging's).
    atexit._run_exitfuncs()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
