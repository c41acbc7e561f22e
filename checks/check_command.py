"""`rhoai-doctor check DEPLOYMENT` and `check --all`: the diagnosis, headless."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from checks.connect import ClusterConfig
from checks.context import CheckOptions
from checks.diagnose import diagnose
from checks.engine import Report, Status
from checks.errors import DoctorError
from checks.kube import KubeClient
from checks.report import RENDERERS, Redactor
from checks.snapshot import load_projects, load_snapshot


def check_options(args: argparse.Namespace) -> CheckOptions:
    request = None
    if args.request:
        try:
            request = json.loads(Path(args.request).read_text())
        except OSError as error:
            raise DoctorError("usage", f"cannot read {args.request}: {error.strerror}") from error
        except ValueError as error:
            raise DoctorError("usage", f"{args.request} is not JSON: {error}") from error
    return CheckOptions(
        token=args.model_token,
        token_secret=args.token_secret,
        request=request,
        route_ca=args.certificate_authority,
        insecure=args.insecure_skip_tls_verify,
    )


def exit_code(reports: list[Report]) -> int:
    return 1 if any(r.status == Status.FAIL for rep in reports for r in rep.results) else 0


def _emit(reports: list[tuple[Report, Redactor]], output: str) -> None:
    if output == "json" and len(reports) != 1:
        docs = [json.loads(RENDERERS["json"](rep, red)) for rep, red in reports]
        print(json.dumps({"reports": docs}, indent=2, ensure_ascii=False))
        return
    for index, (report, redact) in enumerate(reports):
        if index and output in ("table", "markdown"):
            print()
        print(RENDERERS[output](report, redact).rstrip("\n"))


async def _run(
    cluster: ClusterConfig, args: argparse.Namespace, options: CheckOptions
) -> list[tuple[Report, Redactor]]:
    async with KubeClient(cluster) as kube:
        if not args.all:
            return [await diagnose(kube, cluster, cluster.namespace, args.deployment, options)]
        namespaces = [cluster.namespace]
        if args.all_namespaces:
            namespaces = [p.name for p in await load_projects(kube)]
        reports: list[tuple[Report, Redactor]] = []
        for namespace in namespaces:
            snapshot = await load_snapshot(kube, namespace)
            snapshot.raise_if_unreachable()
            for dep in snapshot.deployments:
                reports.append(
                    await diagnose(kube, cluster, namespace, dep.name, options, snapshot=snapshot)
                )
        return reports


def check(args: argparse.Namespace, connection: Any) -> int:
    from checks import connect

    if bool(args.all) == bool(args.deployment):
        print("error: name one DEPLOYMENT, or use --all", file=sys.stderr)
        return 2
    options = check_options(args)
    cluster = connect.resolve(connection)
    reports = asyncio.run(_run(cluster, args, options))
    if not reports:
        print("No deployments found.", file=sys.stderr)
        return 0
    _emit(reports, args.output)
    return exit_code([r for r, _ in reports])
