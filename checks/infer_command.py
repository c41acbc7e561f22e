"""`rhoai-doctor infer DEPLOYMENT`: build a correct v2 request from the model, check it, send it,
explain the answer, and compare with a local onnxruntime run."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from checks import connect
from checks.compose import Prefill, prefill, route_rules
from checks.context import CheckContext, CheckOptions
from checks.errors import DoctorError
from checks.kube import KubeClient
from checks.local_run import compare, run_local
from checks.send import as_curl, burst, http_client, send
from checks.snapshot import load_snapshot
from checks.tables import table
from checks.v2 import parse_request, validate


def _body(args: argparse.Namespace, filled: Prefill) -> tuple[dict | None, list[str]]:
    if not args.request:
        return filled.request, []
    try:
        text = Path(args.request).read_text()
    except OSError as error:
        raise DoctorError("usage", f"cannot read {args.request}: {error.strerror}") from error
    body, problems = parse_request(text)
    return body, [p.message for p in problems]


def _data(args: argparse.Namespace) -> list | None:
    if args.data is None:
        return None
    try:
        data = json.loads(args.data)
    except ValueError as error:
        raise DoctorError("usage", f"--data is not JSON: {error}") from error
    if not isinstance(data, list):
        raise DoctorError("usage", "--data must be a JSON list of values, e.g. '[3,4,3,2]'")
    return data


async def _context(
    cluster: Any,
    kube: KubeClient,
    name: str,
    options: CheckOptions,
) -> CheckContext:
    snapshot = await load_snapshot(kube, cluster.namespace)
    snapshot.raise_if_unreachable()
    dep = snapshot.deployment(name, cluster.namespace)
    if dep is None:
        names = ", ".join(d.name for d in snapshot.deployments) or "none"
        raise DoctorError(
            "not-found",
            f'deployment "{name}" not found in {cluster.namespace} (deployments there: {names})',
        )
    return CheckContext(cluster, kube, snapshot, dep, options)


def _outputs_table(body: Any) -> str:
    outputs = body.get("outputs") if isinstance(body, dict) else None
    if not outputs:
        return ""
    rows = []
    for out in outputs:
        data = out.get("data") or []
        shown = ", ".join(str(v) for v in data[:6]) + (" …" if len(data) > 6 else "")
        rows.append((out.get("name"), out.get("datatype"), out.get("shape"), shown))
    return table(("OUTPUT", "DATATYPE", "SHAPE", "DATA"), rows)


async def _run(args: argparse.Namespace, connection: Any) -> int:
    cluster = connect.resolve(connection)
    route_ca = args.certificate_authority or os.environ.get("RHOAI_DOCTOR_ROUTE_CA")
    options = CheckOptions(
        token=args.model_token,
        token_secret=args.token_secret,
        route_ca=route_ca,
        insecure=args.insecure_skip_tls_verify,
    )
    async with KubeClient(cluster) as kube:
        ctx = await _context(cluster, kube, args.deployment, options)
        filled = await prefill(ctx, _data(args))
        body, problems = _body(args, filled)
        if body is not None:
            problems = [p.message for p in validate(body, filled.signature)]
        if args.example:
            print(json.dumps(filled.request, indent=2))
            for note in filled.notes:
                print(f"# {note}", file=sys.stderr)
            return 0
        rules = route_rules(ctx)
        if args.curl:
            print(
                as_curl(
                    filled.url,
                    body or {},
                    token=filled.token,
                    show_token=args.show_token,
                    ca_file=route_ca,
                    insecure=args.insecure_skip_tls_verify,
                    rules=rules,
                )
            )
            return 0
        if problems and not args.force:
            print(
                "the request was not sent: it does not match the model (--force sends it anyway):",
                file=sys.stderr,
            )
            for problem in problems:
                print(f"  - {problem}", file=sys.stderr)
            return 1
        payload = json.dumps(body).encode() if body is not None else Path(args.request).read_bytes()
        async with http_client(
            route_ca, not args.insecure_skip_tls_verify, args.request_timeout
        ) as http:
            if args.repeat > 1:
                return _print_burst(
                    await burst(
                        http,
                        filled.url,
                        payload,
                        filled.token,
                        rules,
                        args.repeat,
                        args.concurrency,
                    ),
                    args.output,
                )
            sent = await send(http, filled.url, payload, filled.token, rules, ctx.deployment.name)
        comparison = None
        if args.compare_local and sent.status == 200 and body is not None:
            storage = ctx.storage()
            assert storage is not None
            model = await asyncio.to_thread(storage.read, filled.model_key, 2**31)
            comparison = compare(
                await asyncio.to_thread(run_local, model, body),
                sent.body if isinstance(sent.body, dict) else {},
            )
    return _print_sent(filled, sent, comparison, problems, args.output)


def _print_sent(
    filled: Prefill, sent: Any, comparison: list | None, problems: list[str], output: str
) -> int:
    agrees = comparison is None or all(c.agrees for c in comparison)
    if output == "json":
        print(
            json.dumps(
                {
                    "url": filled.url,
                    "status": sent.status,
                    "seconds": round(sent.seconds, 4),
                    "answered_by": sent.answer.who,
                    "explanation": sent.explanation,
                    "response": sent.body,
                    "problems": problems,
                    "comparison": None
                    if comparison is None
                    else [
                        {"output": c.output, "agrees": c.agrees, "detail": c.detail}
                        for c in comparison
                    ],
                },
                indent=2,
            )
        )
    else:
        print(f"POST {filled.url}")
        print(f"{sent.status} in {sent.seconds * 1000:.0f} ms — {sent.explanation}")
        for note in filled.notes:
            print(f"  ({note})")
        if outputs := _outputs_table(sent.body):
            print(outputs)
        for c in comparison or []:
            mark = "agrees" if c.agrees else "DIFFERS"
            print(f"local onnxruntime: {c.output} {mark} ({c.detail})")
    return 0 if 200 <= sent.status < 300 and agrees else 1


def _print_burst(result: Any, output: str) -> int:
    row = (
        result.count,
        result.concurrency,
        f"{result.seconds:.2f}",
        f"{result.p50 * 1000:.1f}",
        f"{result.percentile(95) * 1000:.1f}",
        f"{result.percentile(99) * 1000:.1f}",
        result.errors,
        ", ".join(f"{k}x{v}" for k, v in sorted(result.statuses.items())),
    )
    if output == "json":
        print(
            json.dumps(
                {
                    "count": result.count,
                    "concurrency": result.concurrency,
                    "seconds": result.seconds,
                    "p50_ms": result.p50 * 1000,
                    "p95_ms": result.percentile(95) * 1000,
                    "p99_ms": result.percentile(99) * 1000,
                    "errors": result.errors,
                    "statuses": result.statuses,
                },
                indent=2,
            )
        )
    else:
        print(
            table(
                (
                    "REQUESTS",
                    "CONCURRENCY",
                    "SECONDS",
                    "P50 MS",
                    "P95 MS",
                    "P99 MS",
                    "ERRORS",
                    "STATUSES",
                ),
                [row],
            )
        )
    return 0 if result.errors == 0 else 1


def infer(args: argparse.Namespace, connection: Any) -> int:
    if args.repeat < 1 or args.concurrency < 1:
        raise DoctorError("usage", "--repeat and --concurrency take a number >= 1")
    return asyncio.run(_run(args, connection))
