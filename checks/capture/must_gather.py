"""Read an `oc adm must-gather` or `oc adm inspect` directory into a `Capture`.

The layout is oc's (pkg/cli/admin/inspect): under an inspect root, `namespaces/<ns>/<ns>.yaml`
is the Namespace; `namespaces/<ns>/<group>/<resource>.yaml` is a List of a whole kind (the group
of the core API is spelled `core`); `namespaces/<ns>/<group>/<resource>/<name>.yaml` is one
object (what `oc adm inspect <resource> -n NS` writes, the way the RHOAI must-gather collects
InferenceServices and ServingRuntimes); `namespaces/<ns>/pods/<pod>/<pod>.yaml` is a pod and
`.../<pod>/<container>/<container>/logs/{current,previous}.log` its logs, each line led by the
kubelet's timestamp. A must-gather puts one such root under a directory named after the
plug-in image (and a `timestamp` file beside it): the top directory, the image directory and
the inspect root are all accepted.

oc elides every Secret value but `tls.crt`, `ca.crt` and `service-ca.crt`, writing
"<N> bytes long" in its place: an empty value stays visible as "0 bytes long" (read here as
empty), any other becomes a marker the checks recognise (`resources.elided`) and answer
"not in the capture" instead of judging it."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from checks.capture.facts_form import lookup_fact, project_fact
from checks.capture.model import Capture, CaptureMeta, LogKey
from checks.capture.must_gather_files import Reader
from checks.capture.safe_files import CaptureFiles, RefusedFile
from checks.capture.safe_yaml import YamlBudget
from checks.cluster.kube import Raw
from checks.cluster.snapshot import MESH_NAMESPACE, Snapshot, add_mesh_routes
from checks.cluster.snapshot_kinds import KIND_PATHS
from checks.engine.gateway import SINGULAR
from checks.engine.pod_crash import PREVIOUS_LOG_BYTES, PREVIOUS_LOG_LINES
from checks.errors import DoctorError, ErrorKind
from checks.resources.common import elided_marker

SOURCE = "must-gather"
TIMESTAMP_BYTES = 4096
SEARCH_DEPTH = 3  # top dir -> image dir -> (node dir) -> inspect root
PUBLIC_KEYS = frozenset({"tls.crt", "ca.crt", "service-ca.crt"})  # oc keeps these as they are
ELIDED = re.compile(r"(\d+) bytes long")
# Kinds the RHOAI must-gather asks for by type (`oc adm inspect <kind> -n NS`, one file each):
# a namespace with none of them simply has none. Any other kind with no file was not collected.
BY_TYPE = frozenset({"inferenceservices", "servingruntimes", "llminferenceservices"})
# Objects llm-d's checks GET one by one (checks.engine.gateway), which the RHOAI plug-in collects
LOOKUP_KINDS = frozenset(
    {
        ("gateway.networking.k8s.io", "httproutes"),
        ("gateway.networking.k8s.io", "gateways"),
        ("kuadrant.io", "authpolicies"),
    }
)
NOT_COLLECTED = "not in the capture (the must-gather did not collect {kind})"


def _group(kind: str) -> str:
    prefix = KIND_PATHS[kind][0]
    return "core" if prefix.startswith("/api/") else prefix.removeprefix("/apis/").split("/")[0]


GROUP_KINDS: dict[tuple[str, str], str] = {(_group(kind), kind): kind for kind in KIND_PATHS}


def inspect_roots(path: Path, files: CaptureFiles | None = None) -> list[Path]:
    """Every directory under `path` (itself included) that holds oc's `namespaces/` tree."""
    files = files or CaptureFiles(path)
    found: list[Path] = []
    frontier = [path]
    for _ in range(SEARCH_DEPTH + 1):
        nxt = []
        for directory in frontier:
            if files.is_dir(directory / "namespaces"):
                found.append(directory)
                continue
            nxt += files.dirs(directory)
        frontier = nxt
    return found


def read_must_gather(path: Path, timeout: float = 10.0) -> Capture:
    """The capture a must-gather (or inspect) directory holds; unreadable files become one line
    each, never an exception. Only regular files inside `path` are read (no symlinks, devices or
    FIFOs), each under a byte cap and `timeout`. Raises DoctorError when `path` is not such a
    directory or holds more than the capture's caps."""
    path = Path(path)
    if not path.is_dir():
        raise DoctorError(ErrorKind.NOT_FOUND, f"{path}: no such directory")
    files = CaptureFiles(path, timeout=timeout)
    budget = YamlBudget()
    roots = inspect_roots(path, files)
    if not roots:
        raise DoctorError(
            ErrorKind.USAGE,
            f"{path} is not an oc adm must-gather or oc adm inspect directory "
            "(no namespaces/ directory inside)",
        )
    capture = Capture(meta=CaptureMeta(SOURCE, "", "", _captured_at(files, path, roots)))
    projects: dict[str, Raw] = {}
    lookups: dict[str, Raw] = {}  # "httproutes:ns/name" -> the object, for llm-d's GETs
    for root in roots:
        for ns_dir in files.dirs(root / "namespaces"):
            _read_namespace(Reader(capture, files, budget), ns_dir, projects, lookups)
    for namespace, kinds in capture.objects.items():
        for kind in KIND_PATHS:
            if kind in kinds or kind in capture.forbidden.get(namespace, {}):
                continue
            if kind in BY_TYPE:
                kinds[kind] = []
            else:
                capture.forbidden.setdefault(namespace, {})[kind] = NOT_COLLECTED.format(kind=kind)
    _add_mesh_routes(capture)
    _add_facts(capture, projects, lookups)
    _add_for_sessions(capture, projects)
    return capture


def _add_mesh_routes(capture: Capture) -> None:
    """A serverless model's Route lives in the mesh namespace; a live snapshot of its project
    carries it (checks.cluster.snapshot), so the project's routes here carry it too."""
    mesh = (capture.objects.get(MESH_NAMESPACE) or {}).get("routes") or []
    for namespace, kinds in capture.objects.items():
        if namespace == MESH_NAMESPACE or not mesh or "routes" not in kinds:
            continue
        snapshot = Snapshot(namespace, raw={"inferenceservices": kinds["inferenceservices"]})
        add_mesh_routes(snapshot, [dict(route) for route in mesh])
        kinds["routes"] = [*kinds["routes"], *(snapshot.raw.get("routes") or [])]


def _add_for_sessions(capture: Capture, projects: dict[str, Raw]) -> None:
    """What the capture-backed session reads when this build's Capture has it: the projects
    as listed, and why a kind is missing (not collected, or a file oc wrote that is unreadable)."""
    if isinstance(getattr(capture, "projects", None), list):
        capture.projects.extend(projects[ns] for ns in sorted(projects))  # type: ignore[attr-defined]
    kinds_of = getattr(capture, "error_kinds", None)
    if isinstance(kinds_of, dict):
        for namespace, failed in capture.forbidden.items():
            for kind, reason in failed.items():
                word = ErrorKind.UNMET if "not in the capture" in reason else ErrorKind.BAD_RESPONSE
                kinds_of.setdefault(namespace, {})[kind] = str(word)


def _add_facts(capture: Capture, projects: dict[str, Raw], lookups: dict[str, Raw]) -> None:
    """The facts a must-gather holds, keyed as CheckContext.fact keys them, for every
    deployment of the namespace: its project (the Namespace oc wrote), the previous logs, and
    the Gateway API and Kuadrant objects an LLMInferenceService's status GETs (JSON form: the
    object as found; one the capture lacks stays "not in the capture")."""
    for namespace, kinds in capture.objects.items():
        facts: dict[str, Any] = {}
        if kinds.get("llminferenceservices"):
            for key, raw in lookups.items():
                plural, _, where = key.partition(":")
                facts[key] = lookup_fact(f"{SINGULAR[plural]} {where}", raw)
        if namespace in projects:
            facts["project"] = project_fact(projects[namespace])
        for log, text in capture.logs.items():
            if log.namespace == namespace and log.previous:
                facts[f"previous-log:{log.pod}/{log.container}"] = previous_tail(text)
        for kind in ("inferenceservices", "llminferenceservices"):
            for item in kinds.get(kind, []):
                capture.facts.setdefault(f"{namespace}/{_name(item)}", {}).update(facts)


def previous_tail(text: str) -> str:
    """As much of a previous log as the live check reads (pod_crash.previous_log's bounds)."""
    lines = text.splitlines(keepends=True)[-PREVIOUS_LOG_LINES:]
    return "".join(lines).encode()[-PREVIOUS_LOG_BYTES:].decode("utf-8", "replace")


def _read_namespace(
    reader: Reader, ns_dir: Path, projects: dict[str, Raw], lookups: dict[str, Raw]
) -> None:
    namespace, files, capture = ns_dir.name, reader.files, reader.capture
    kinds = capture.objects.setdefault(namespace, {})
    seen: dict[str, set[str]] = {}

    def add(kind: str, items: list[Raw]) -> None:
        names = seen.setdefault(kind, {_name(x) for x in kinds.get(kind, [])})
        bucket = kinds.setdefault(kind, [])
        for item in items:
            if _name(item) not in names:
                names.add(_name(item))
                bucket.append(_cleaned(kind, item))

    def load_all(kind: str, paths: list[Path]) -> list[Raw]:
        found: list[Raw] = []
        for file in paths:
            loaded = reader.load(namespace, kind, file)
            if isinstance(loaded, dict):
                found += reader.items(namespace, kind, file, loaded)
            elif loaded is not None:
                reader.unreadable(namespace, kind, f"{file.name}: not a YAML object or List")
        return found

    own = reader.load(namespace, "namespace", ns_dir / f"{namespace}.yaml")
    if isinstance(own, dict) and isinstance(own.get("metadata"), dict):
        projects[namespace] = own
    for group_dir in (p for p in files.dirs(ns_dir) if p.name != "pods"):
        for entry in files.entries(group_dir):
            plural = entry.name.removesuffix(".yaml")
            kind = GROUP_KINDS.get((group_dir.name, plural))
            if (group_dir.name, plural) in LOOKUP_KINDS and files.is_dir(entry):
                for item in load_all(plural, files.files(entry, ".yaml")):
                    lookups[f"{plural}:{namespace}/{_name(item)}"] = item
            if kind is None:
                continue
            if files.is_dir(entry):
                add(kind, load_all(kind, files.files(entry, ".yaml")))
            elif entry.name.endswith(".yaml"):  # a symlink or FIFO here is one line too
                add(kind, load_all(kind, [entry]))
    pods_dir = ns_dir / "pods"
    if files.is_dir(pods_dir):
        pods = []
        for pod_dir in files.dirs(pods_dir):
            pods += load_all("pods", [pod_dir / f"{pod_dir.name}.yaml"])
            _read_logs(reader, namespace, pod_dir)
        add("pods", pods)
    for items in kinds.values():
        items.sort(key=_name)
    reader.settle(namespace)


def _read_logs(reader: Reader, namespace: str, pod_dir: Path) -> None:
    for container_dir in reader.files.dirs(pod_dir):
        logs = container_dir / container_dir.name / "logs"
        for previous in (False, True):
            stem = "previous" if previous else "current"
            for name in (f"{stem}.log", f"{stem}.insecure.log"):
                text = reader.tail(logs / name)
                if text is not None:
                    key = LogKey(namespace, pod_dir.name, container_dir.name, previous)
                    reader.capture.logs[key] = text
                    break


def _name(item: Raw) -> str:
    meta = item.get("metadata")
    return str(meta.get("name", "")) if isinstance(meta, dict) else ""


def _cleaned(kind: str, item: Raw) -> Raw:
    """What the live reader would have: oc's elided Secret values as markers."""
    if kind == "secrets" and isinstance(item.get("data"), dict):
        item["data"] = {k: unelided(k, v) for k, v in item["data"].items()}
    return item


def unelided(key: str, value: Any) -> Any:
    if key in PUBLIC_KEYS or not isinstance(value, str):
        return value
    try:
        text = base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, ValueError):
        return value
    match = ELIDED.fullmatch(text)
    if match is None:
        return value
    length = int(match.group(1))
    return "" if length == 0 else base64.b64encode(elided_marker(length).encode()).decode()


def _captured_at(files: CaptureFiles, path: Path, roots: list[Path]) -> str:
    """oc appends Go's time.Now() to `timestamp` when it starts and ends: the last line wins."""
    for directory in (*roots, path):
        try:
            text = files.read(directory / "timestamp", TIMESTAMP_BYTES).decode()
        except (RefusedFile, UnicodeDecodeError):
            continue
        lines = text.strip().splitlines()
        for line in reversed(lines):
            when = _go_time(line)
            if when:
                return when
    return ""


def _go_time(line: str) -> str:
    """'2026-12-01 21:15:45.123456789 +0000 UTC m=+0.01' -> ISO 8601 UTC."""
    parts = line.split()
    if len(parts) < 3:
        return ""
    day, clock, offset = parts[0], parts[1], parts[2]
    whole, _, fraction = clock.partition(".")
    text = f"{day} {whole}.{(fraction + '000000')[:6]} {offset}"
    try:
        when = datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f %z")
    except ValueError:
        return ""
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")
