"""What changed between two views of a cluster ("it worked yesterday"): per deployment, the
spec fields, labels, annotations, runtime images/args/resources, running images, the data
connection's key names and non-secret fields (type, endpoint, bucket, region, URI host and path;
never a credential) and check outcomes that differ between two captures, or a capture and
the live cluster.

A view is flat: "what" -> text. Check outcomes that one side could not judge because the capture
did not hold the fact ("not in the capture") are not compared, only counted."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from checks import resources
from checks.cluster.snapshot import Snapshot

NOT_CAPTURED = "not in the capture"
ABSENT = "-"
IGNORED_ANNOTATIONS = frozenset({"kubectl.kubernetes.io/last-applied-configuration"})
NUMBERS = re.compile(r"\d+")


@dataclass(frozen=True)
class Change:
    what: str  # "annotation serving.kserve.io/deploymentMode", "check runtime-pods", ...
    before: str
    after: str


@dataclass(frozen=True)
class DeploymentDiff:
    namespace: str
    name: str
    change: str  # "changed", "added" (only in B), "removed" (only in A)
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Outcome:
    status: str
    summary: str


@dataclass
class DeploymentView:
    """One deployment as one side saw it."""

    fields: dict[str, str] = field(default_factory=dict)
    checks: dict[str, Outcome] = field(default_factory=dict)


@dataclass(frozen=True)
class Side:
    label: str  # "must-gather ./mg (captured …)", "live lab-admin (https://…)"
    views: dict[tuple[str, str], DeploymentView]


@dataclass(frozen=True)
class CaptureDiff:
    before: str
    after: str
    deployments: tuple[DeploymentDiff, ...]
    unchanged: tuple[str, ...]
    not_compared: int  # check outcomes one side did not hold

    @property
    def differs(self) -> bool:
        return bool(self.deployments)

    def as_dict(self) -> dict[str, Any]:
        return {
            "a": self.before,
            "b": self.after,
            "deployments": [
                {
                    "namespace": d.namespace,
                    "name": d.name,
                    "change": d.change,
                    "changes": [{"what": c.what, "a": c.before, "b": c.after} for c in d.changes],
                }
                for d in self.deployments
            ],
            "unchanged": list(self.unchanged),
            "checks_not_compared": self.not_compared,
        }


# -- building a view -------------------------------------------------------------------------
def flatten(value: Any, prefix: str) -> dict[str, str]:
    """A nested object as path -> text; lists of scalars joined, lists of named objects keyed
    by name (`containers[kserve-container].image`), so one added arg is one change."""
    out: dict[str, str] = {}
    if isinstance(value, dict):
        for key in sorted(value, key=str):
            out.update(flatten(value[key], f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list):
        if all(not isinstance(x, dict | list) for x in value):
            out[prefix] = " ".join(str(x) for x in value)
        else:
            for index, item in enumerate(value):
                name = item.get("name") if isinstance(item, dict) else None
                out.update(flatten(item, f"{prefix}[{name if name else index}]"))
    elif value is not None:
        out[prefix] = str(value)
    return out


def view_of(snapshot: Snapshot, dep: resources.AnyDeployment) -> DeploymentView:
    """What `diff` compares of one deployment, from its snapshot."""
    raw = _raw_of(snapshot, dep)
    meta = raw.get("metadata") or {}
    fields: dict[str, str] = {"state": snapshot.state_of(dep).text, "mode": dep.mode_label}
    fields.update(flatten(raw.get("spec") or {}, "spec"))
    for key, value in (meta.get("labels") or {}).items():
        fields[f"label {key}"] = str(value)
    for key, value in (meta.get("annotations") or {}).items():
        if key not in IGNORED_ANNOTATIONS:
            fields[f"annotation {key}"] = str(value)
    if isinstance(dep, resources.Deployment):
        server = snapshot.server_for(dep)
        if server is not None:
            server_raw = _raw_named(snapshot, "servingruntimes", dep.namespace, server.name)
            spec = (server_raw or {}).get("spec") or {}
            for part in ("containers", "initContainers"):
                for key, value in flatten(spec.get(part) or [], part).items():
                    fields[f"runtime {server.name} {key}"] = value
        connection = snapshot.connection_for(dep)
        if connection is not None:
            fields[f"connection {connection.name} keys"] = ", ".join(connection.keys) or ABSENT
            for what, value in connection_fields(connection).items():
                fields[f"connection {connection.name} {what}"] = value
    images: dict[str, set[str]] = {}
    for pod in snapshot.pods_for(dep):
        pod_raw = _raw_named(snapshot, "pods", pod.namespace, pod.name) or {}
        for status in (pod_raw.get("status") or {}).get("containerStatuses") or []:
            if isinstance(status, dict) and status.get("name"):
                images.setdefault(str(status["name"]), set()).add(str(status.get("image", "")))
    for container, found in images.items():
        fields[f"running image {container}"] = ", ".join(sorted(found))
    return DeploymentView(fields=fields)


def connection_fields(connection: resources.DataConnection) -> dict[str, str]:
    """The connection's names that are no secret (type, endpoint, bucket, region, the URI's
    host and path, the OCI host), so a moved endpoint is a change, not "No differences". A URL
    loses any user:password@ and its query (a signed URL's credentials) before it is shown."""
    uri = _no_credentials(connection.uri)
    parts = urlsplit(uri) if "://" in uri and not resources.elided(uri) else None
    shown = {
        "type": connection.kind_label,
        "endpoint": _no_credentials(connection.endpoint),
        "bucket": connection.bucket,
        "region": connection.region,
        "URI host": parts.netloc if parts else uri,
        # a must-gather's URI is only its length: the path is as unknown as the host
        "URI path": parts.path if parts else uri if resources.elided(uri) else "",
        "OCI host": _no_credentials(connection.oci_host),
    }
    return {what: value for what, value in shown.items() if value}


def _no_credentials(url: str) -> str:
    """A URL without its query, fragment and user:password@ (the only parts that can be secret)."""
    if resources.elided(url):  # a must-gather kept only its length: compared as that
        return url
    url = url.strip().partition("?")[0].partition("#")[0]
    scheme, sep, rest = url.partition("://") if "://" in url else ("", "", url)
    # after the last @ anywhere: a password may hold a "/" that would hide it from a parser
    return f"{scheme}{sep}{rest.rpartition('@')[2]}"


def _raw_of(snapshot: Snapshot, dep: resources.AnyDeployment) -> dict:
    kind = "llminferenceservices" if dep.kind == resources.LLMISVC else "inferenceservices"
    return _raw_named(snapshot, kind, dep.namespace, dep.name) or {}


def _raw_named(snapshot: Snapshot, kind: str, namespace: str, name: str) -> dict | None:
    for item in snapshot.raw.get(kind) or []:
        meta = item.get("metadata") if isinstance(item, dict) else None
        if (
            isinstance(meta, dict)
            and meta.get("name") == name
            and meta.get("namespace", namespace) == namespace
        ):
            return item
    return None


def outcomes_of(results: Iterable[dict]) -> dict[str, Outcome]:
    """Check outcomes from a report's JSON (`check -o json` "checks") or Result.as_dict()."""
    return {
        str(r.get("id")): Outcome(str(r.get("status", "")), str(r.get("summary", "")))
        for r in results
        if isinstance(r, dict) and r.get("id")
    }


# -- comparing -------------------------------------------------------------------------------
def compare(a: Side, b: Side) -> CaptureDiff:
    deployments: list[DeploymentDiff] = []
    unchanged: list[str] = []
    not_compared = 0
    for key in sorted(set(a.views) | set(b.views)):
        namespace, name = key
        if key not in b.views:
            deployments.append(DeploymentDiff(namespace, name, "removed"))
            continue
        if key not in a.views:
            deployments.append(DeploymentDiff(namespace, name, "added"))
            continue
        changes, skipped = _changes(a.views[key], b.views[key])
        not_compared += skipped
        if changes:
            deployments.append(DeploymentDiff(namespace, name, "changed", tuple(changes)))
        else:
            unchanged.append(f"{namespace}/{name}")
    return CaptureDiff(a.label, b.label, tuple(deployments), tuple(unchanged), not_compared)


def _changes(a: DeploymentView, b: DeploymentView) -> tuple[list[Change], int]:
    changes = [
        Change(what, a.fields.get(what, ABSENT), b.fields.get(what, ABSENT))
        for what in sorted(set(a.fields) | set(b.fields), key=_order)
        if a.fields.get(what, ABSENT) != b.fields.get(what, ABSENT)
        and _comparable(a.fields.get(what, ABSENT), b.fields.get(what, ABSENT))
    ]
    unknown: set[str] = set()  # checks one side could not judge
    for check_id in [*a.checks, *(c for c in b.checks if c not in a.checks)]:
        before, after = a.checks.get(check_id), b.checks.get(check_id)
        if (
            before is None
            or after is None
            or _uncaptured(before)
            or _uncaptured(after)
            or _blocked_by(before) in unknown
            or _blocked_by(after) in unknown
        ):
            unknown.add(check_id)
            continue
        if _same(before, after):
            continue
        changes.append(Change(f"check {check_id}", _shown(before), _shown(after)))
    return changes, len(unknown)


def _comparable(a: str, b: str) -> bool:
    """A value a must-gather kept only the length of cannot be told from the other side's
    value (only from its absence)."""
    return ABSENT in (a, b) or resources.elided(a) == resources.elided(b)


def _blocked_by(outcome: Outcome) -> str:
    """The check a skip was blocked by, or is a consequence of ("" when neither): what depends
    on a check one side could not judge cannot be compared either (a must-gather holds no S3,
    so the crash the live side calls a consequence of data-connection is a failure there)."""
    summary = outcome.summary
    if summary.startswith("blocked by "):
        return summary.removeprefix("blocked by ")
    if summary.startswith("consequence of "):
        return summary.removeprefix("consequence of ").partition(":")[0]
    return ""


def _order(what: str) -> tuple[int, str]:
    """State first, then the spec, labels, annotations, runtime, images, connection."""
    for rank, start in enumerate(
        ("state", "mode", "spec", "label ", "annotation ", "runtime ", "running ", "connection ")
    ):
        if what.startswith(start):
            return rank, what
    return 9, what


def _uncaptured(outcome: Outcome) -> bool:
    return outcome.status == "skip" and NOT_CAPTURED in outcome.summary


def _same(a: Outcome, b: Outcome) -> bool:
    """Same status; for a failure or warning, the same words up to counts (restarts, ages)."""
    if a.status != b.status:
        return False
    if a.status not in ("fail", "warn"):
        return True
    return NUMBERS.sub("#", a.summary) == NUMBERS.sub("#", b.summary)


def _shown(outcome: Outcome) -> str:
    return f"{outcome.status}: {outcome.summary}" if outcome.summary else outcome.status
