"""Typed, read-only views of the RHOAI serving objects (../shared/reference/rhoai-domain.md §1-3).

Built from the raw dicts the API returns; nothing here does I/O. Secret values stay in fields
excluded from repr, and `masked()` is what every renderer shows.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

Raw = dict[str, Any]

DASHBOARD_LABEL = "opendatahub.io/dashboard"
MODELMESH, KSERVE = "modelmesh", "kserve"
AWS_KEYS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_S3_ENDPOINT",
    "AWS_DEFAULT_REGION",
    "AWS_S3_BUCKET",
)


def masked(value: str | None) -> str:
    """What a secret looks like on screen: never its content, only whether it is there."""
    if not value:
        return "<empty>"
    return "•" * 8


def _meta(raw: Raw) -> Raw:
    return raw.get("metadata") or {}


def _labels(raw: Raw) -> dict[str, str]:
    return _meta(raw).get("labels") or {}


def _annotations(raw: Raw) -> dict[str, str]:
    return _meta(raw).get("annotations") or {}


def _in_dashboard(raw: Raw) -> bool:
    return _labels(raw).get(DASHBOARD_LABEL) == "true"


def parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def age(when: datetime | None, now: datetime | None = None) -> str:
    """kubectl-style age: 45s, 12m, 3h, 5d."""
    if when is None:
        return "<unknown>"
    seconds = int(((now or datetime.now(UTC)) - when).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{max(seconds, 0)}s"


def _decode(data: dict[str, str] | None) -> dict[str, str]:
    decoded = {}
    for key, value in (data or {}).items():
        try:
            decoded[key] = base64.b64decode(value or "").decode("utf-8", errors="replace")
        except (binascii.Error, ValueError):
            decoded[key] = ""
    return decoded


@dataclass(frozen=True)
class ObjectRef:
    kind: str
    namespace: str
    name: str


@dataclass(frozen=True)
class Project:
    name: str
    display_name: str
    description: str
    in_dashboard: bool
    platform: str | None  # from modelmesh-enabled; None when the label is absent
    phase: str
    requester: str
    created: datetime | None

    @classmethod
    def parse(cls, raw: Raw) -> Project:
        labels, annotations = _labels(raw), _annotations(raw)
        flag = labels.get("modelmesh-enabled")
        platform = MODELMESH if flag == "true" else KSERVE if flag == "false" else None
        return cls(
            _meta(raw).get("name", ""),
            annotations.get("openshift.io/display-name", ""),
            annotations.get("openshift.io/description", ""),
            _in_dashboard(raw),
            platform,
            (raw.get("status") or {}).get("phase", ""),
            annotations.get("openshift.io/requester", ""),
            parse_time(_meta(raw).get("creationTimestamp")),
        )


@dataclass(frozen=True)
class DataConnection:
    """An S3 data connection secret; secret values are kept out of repr and shown masked."""

    name: str
    namespace: str
    display_name: str
    connection_type: str
    in_dashboard: bool
    managed: bool
    keys: tuple[str, ...]
    endpoint: str
    bucket: str
    region: str
    access_key_id: str = field(repr=False, default="")
    secret_access_key: str = field(repr=False, default="")

    @classmethod
    def parse(cls, raw: Raw) -> DataConnection:
        values = _decode(raw.get("data"))
        annotations = _annotations(raw)
        ctype = (
            annotations.get("opendatahub.io/connection-type")
            or annotations.get("opendatahub.io/connection-type-ref")
            or ""
        )
        return cls(
            _meta(raw).get("name", ""),
            _meta(raw).get("namespace", ""),
            annotations.get("openshift.io/display-name", ""),
            ctype,
            _in_dashboard(raw),
            _labels(raw).get("opendatahub.io/managed") == "true",
            tuple(sorted(values)),
            values.get("AWS_S3_ENDPOINT", ""),
            values.get("AWS_S3_BUCKET", ""),
            values.get("AWS_DEFAULT_REGION", ""),
            values.get("AWS_ACCESS_KEY_ID", ""),
            values.get("AWS_SECRET_ACCESS_KEY", ""),
        )

    @staticmethod
    def is_connection(raw: Raw) -> bool:
        """Dashboard rule: the dashboard label plus a connection-type annotation (§1.2)."""
        annotations = _annotations(raw)
        return (
            _in_dashboard(raw)
            and any(
                k in annotations
                for k in (
                    "opendatahub.io/connection-type",
                    "opendatahub.io/connection-type-ref",
                    "opendatahub.io/connection-type-protocol",
                )
            )
        ) or (raw.get("type") == "Opaque" and "AWS_S3_ENDPOINT" in (raw.get("data") or {}))

    def missing_keys(self) -> list[str]:
        values = {
            "AWS_ACCESS_KEY_ID": self.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret_access_key,
            "AWS_S3_ENDPOINT": self.endpoint,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_S3_BUCKET": self.bucket,
        }
        return [k for k in AWS_KEYS if not values[k]]


@dataclass(frozen=True)
class StorageConfigEntry:
    key: str
    parsed: Raw | None  # None when the JSON does not parse
    error: str = ""


@dataclass(frozen=True)
class FormatSupport:
    name: str
    version: str
    auto_select: bool
    priority: int | None

    def label(self) -> str:
        return f"{self.name}:{self.version}" if self.version else self.name


@dataclass(frozen=True)
class ModelServer:
    """A ServingRuntime: it has no status, so health comes from its pods."""

    name: str
    namespace: str
    display_name: str
    platform: str
    formats: tuple[FormatSupport, ...]
    replicas: int | None
    enable_route: bool
    enable_auth: bool
    disabled: bool
    images: tuple[str, ...]
    template: str
    protocol_versions: tuple[str, ...]
    in_dashboard: bool
    memory_limit: str

    @classmethod
    def parse(cls, raw: Raw) -> ModelServer:
        spec, annotations = raw.get("spec") or {}, _annotations(raw)
        formats = tuple(
            FormatSupport(
                str(f.get("name", "")),
                str(f.get("version", "") or ""),
                bool(f.get("autoSelect")),
                f.get("priority"),
            )
            for f in spec.get("supportedModelFormats") or []
        )
        containers = spec.get("containers") or []
        memory = next(
            (
                str(((c.get("resources") or {}).get("limits") or {}).get("memory", ""))
                for c in containers
                if c.get("resources")
            ),
            "",
        )
        return cls(
            _meta(raw).get("name", ""),
            _meta(raw).get("namespace", ""),
            annotations.get("openshift.io/display-name", ""),
            MODELMESH if spec.get("multiModel") else KSERVE,
            formats,
            spec.get("replicas"),
            annotations.get("enable-route") == "true",
            annotations.get("enable-auth") == "true",
            bool(spec.get("disabled")),
            tuple(c.get("image", "") for c in containers),
            annotations.get("opendatahub.io/template-name", ""),
            tuple(spec.get("protocolVersions") or ()),
            _in_dashboard(raw),
            memory,
        )

    @property
    def token_base(self) -> str:
        return self.name


@dataclass(frozen=True)
class FailureInfo:
    reason: str
    message: str
    location: str
    time: datetime | None
    exit_code: int | None


@dataclass(frozen=True)
class Condition:
    type: str
    status: str
    reason: str
    message: str


def _conditions(raw: Raw) -> tuple[Condition, ...]:
    return tuple(
        Condition(
            str(c.get("type", "")),
            str(c.get("status", "")),
            str(c.get("reason", "")),
            str(c.get("message", "")),
        )
        for c in (raw.get("status") or {}).get("conditions") or []
    )


@dataclass(frozen=True)
class Deployment:
    """An InferenceService as a person thinks of it: a deployed model."""

    name: str
    namespace: str
    display_name: str
    platform: str
    mode: str
    model_format: str
    model_format_version: str
    runtime: str
    storage_key: str
    storage_path: str
    storage_uri: str
    storage_bucket: str
    active_state: str
    target_state: str
    transition_status: str
    failure: FailureInfo | None
    url: str
    internal_url: str
    rest_url: str
    conditions: tuple[Condition, ...]
    auth_enabled: bool
    visibility: str
    in_dashboard: bool
    created: datetime | None

    @classmethod
    def parse(cls, raw: Raw) -> Deployment:
        meta, annotations, labels = _meta(raw), _annotations(raw), _labels(raw)
        spec = (raw.get("spec") or {}).get("predictor") or {}
        model = spec.get("model") or {}
        fmt = model.get("modelFormat") or {}
        storage = model.get("storage") or {}
        status = raw.get("status") or {}
        model_status = status.get("modelStatus") or {}
        states = model_status.get("states") or {}
        failure_raw = model_status.get("lastFailureInfo")
        failure = None
        if failure_raw:
            failure = FailureInfo(
                str(failure_raw.get("reason", "")),
                str(failure_raw.get("message", "")),
                str(failure_raw.get("location", "")),
                parse_time(failure_raw.get("time")),
                failure_raw.get("exitCode"),
            )
        mode = (
            annotations.get("serving.kserve.io/deploymentMode")
            or status.get("deploymentMode")
            or "Serverless"
        )
        predictor = (status.get("components") or {}).get("predictor") or {}
        visibility = (
            "internal"
            if (labels.get("networking.knative.dev/visibility") == "cluster-local")
            else "exposed"
        )
        if mode == "RawDeployment":
            visibility = (
                "exposed"
                if labels.get("networking.kserve.io/visibility") == "exposed"
                else "internal"
            )
        return cls(
            meta.get("name", ""),
            meta.get("namespace", ""),
            annotations.get("openshift.io/display-name", ""),
            MODELMESH if mode == "ModelMesh" else KSERVE,
            mode,
            str(fmt.get("name", "")),
            str(fmt.get("version", "") or ""),
            str(model.get("runtime", "") or ""),
            str(storage.get("key", "") or ""),
            str(storage.get("path", "") or ""),
            str(model.get("storageUri", "") or ""),
            str((storage.get("parameters") or {}).get("bucket", "") or ""),
            str(states.get("activeModelState", "") or ""),
            str(states.get("targetModelState", "") or ""),
            str(model_status.get("transitionStatus", "") or ""),
            failure,
            str(status.get("url", "") or ""),
            str((status.get("address") or {}).get("url", "") or ""),
            str(predictor.get("restUrl", "") or ""),
            _conditions(raw),
            annotations.get("security.opendatahub.io/enable-auth") == "true"
            or annotations.get("enable-auth") == "true",
            visibility,
            _in_dashboard(raw),
            parse_time(meta.get("creationTimestamp")),
        )

    @property
    def state(self) -> str:
        """The one word the dashboard shows (v2.28 order: active first, then target)."""
        known = ("Pending", "Standby", "Loading", "Loaded", "FailedToLoad")
        if self.active_state in known:
            return self.active_state
        return self.target_state or "Unknown"

    @property
    def failed(self) -> bool:
        return "FailedToLoad" in (self.active_state, self.target_state)

    @property
    def failure_is_stale(self) -> bool:
        """lastFailureInfo left over while the model is Loaded (§2.1): not a failure."""
        return self.failure is not None and not self.failed and self.state == "Loaded"

    @property
    def token_base(self) -> str:
        return self.name


@dataclass(frozen=True)
class Route:
    name: str
    namespace: str
    host: str
    path: str
    service: str
    port: str
    termination: str
    admitted: bool | None
    admitted_message: str
    deployment: str  # inferenceservice-name label or serving.kserve.io/inferenceservice

    @classmethod
    def parse(cls, raw: Raw) -> Route:
        spec, labels = raw.get("spec") or {}, _labels(raw)
        admitted: bool | None = None
        message = ""
        for ingress in (raw.get("status") or {}).get("ingress") or []:
            for cond in ingress.get("conditions") or []:
                if cond.get("type") == "Admitted":
                    admitted = cond.get("status") == "True"
                    message = str(cond.get("message", "") or cond.get("reason", "") or "")
        return cls(
            _meta(raw).get("name", ""),
            _meta(raw).get("namespace", ""),
            str(spec.get("host", "")),
            str(spec.get("path", "") or ""),
            str((spec.get("to") or {}).get("name", "")),
            str((spec.get("port") or {}).get("targetPort", "")),
            str((spec.get("tls") or {}).get("termination", "") or "none"),
            admitted,
            message,
            labels.get("inferenceservice-name")
            or labels.get("serving.kserve.io/inferenceservice", ""),
        )

    @property
    def url(self) -> str:
        scheme = "http" if self.termination == "none" else "https"
        return f"{scheme}://{self.host}{self.path}"


@dataclass(frozen=True)
class SecretInfo:
    """Any secret, for the secrets pane: its keys, never its values."""

    name: str
    namespace: str
    type: str
    keys: tuple[str, ...]
    in_dashboard: bool
    service_account: str
    display_name: str
    created: datetime | None
    token: str = field(repr=False, default="")

    @classmethod
    def parse(cls, raw: Raw) -> SecretInfo:
        values = _decode(raw.get("data"))
        annotations = _annotations(raw)
        return cls(
            _meta(raw).get("name", ""),
            _meta(raw).get("namespace", ""),
            str(raw.get("type", "Opaque")),
            tuple(sorted(values)),
            _in_dashboard(raw),
            annotations.get("kubernetes.io/service-account.name", ""),
            annotations.get("openshift.io/display-name", ""),
            parse_time(_meta(raw).get("creationTimestamp")),
            values.get("token", "")
            if raw.get("type") == "kubernetes.io/service-account-token"
            else "",
        )

    @property
    def is_token(self) -> bool:
        return self.type == "kubernetes.io/service-account-token"

    def values_from(self, raw: Raw) -> dict[str, str]:
        return _decode(raw.get("data"))


@dataclass(frozen=True)
class ServiceAccount:
    name: str
    namespace: str

    @classmethod
    def parse(cls, raw: Raw) -> ServiceAccount:
        return cls(_meta(raw).get("name", ""), _meta(raw).get("namespace", ""))


@dataclass(frozen=True)
class RoleBinding:
    name: str
    namespace: str
    role_kind: str
    role_name: str
    subjects: tuple[tuple[str, str, str], ...]  # (kind, namespace, name)

    @classmethod
    def parse(cls, raw: Raw) -> RoleBinding:
        namespace = _meta(raw).get("namespace", "")
        ref = raw.get("roleRef") or {}
        subjects = tuple(
            (str(s.get("kind", "")), str(s.get("namespace") or namespace), str(s.get("name", "")))
            for s in raw.get("subjects") or []
        )
        return cls(
            _meta(raw).get("name", ""),
            namespace,
            str(ref.get("kind", "")),
            str(ref.get("name", "")),
            subjects,
        )

    def binds_service_account(self, namespace: str, name: str) -> bool:
        return ("ServiceAccount", namespace, name) in self.subjects


@dataclass(frozen=True)
class Event:
    namespace: str
    name: str
    involved_kind: str
    involved_name: str
    type: str
    reason: str
    message: str
    count: int
    last_seen: datetime | None
    source: str

    @classmethod
    def parse(cls, raw: Raw) -> Event:
        involved = raw.get("involvedObject") or raw.get("regarding") or {}
        last = (
            raw.get("lastTimestamp")
            or raw.get("eventTime")
            or (raw.get("series") or {}).get("lastObservedTime")
            or _meta(raw).get("creationTimestamp")
        )
        source = (raw.get("source") or {}).get("component") or raw.get("reportingComponent") or ""
        return cls(
            _meta(raw).get("namespace", ""),
            _meta(raw).get("name", ""),
            str(involved.get("kind", "")),
            str(involved.get("name", "")),
            str(raw.get("type", "Normal")),
            str(raw.get("reason", "")),
            str(raw.get("message", "") or raw.get("note", "")),
            int(raw.get("count") or (raw.get("series") or {}).get("count") or 1),
            parse_time(last),
            str(source),
        )

    @property
    def is_warning(self) -> bool:
        return self.type == "Warning"


@dataclass(frozen=True)
class ContainerState:
    name: str
    init: bool
    image: str
    ready: bool
    restarts: int
    state: str  # running, waiting, terminated, unknown
    reason: str
    message: str
    last_reason: str
    last_exit_code: int | None
    last_message: str


def _container(raw: Raw, init: bool) -> ContainerState:
    state = raw.get("state") or {}
    current = next(iter(state), "unknown")
    detail = state.get(current) or {}
    last = (raw.get("lastState") or {}).get("terminated") or {}
    return ContainerState(
        str(raw.get("name", "")),
        init,
        str(raw.get("image", "")),
        bool(raw.get("ready")),
        int(raw.get("restartCount") or 0),
        current,
        str(detail.get("reason", "")),
        str(detail.get("message", "")),
        str(last.get("reason", "")),
        last.get("exitCode"),
        str(last.get("message", "")),
    )


@dataclass(frozen=True)
class Pod:
    name: str
    namespace: str
    phase: str
    reason: str  # status.reason, e.g. Evicted
    message: str
    labels: dict[str, str]
    conditions: tuple[Condition, ...]
    containers: tuple[ContainerState, ...]
    container_names: tuple[str, ...]
    init_container_names: tuple[str, ...]
    node: str
    created: datetime | None

    @classmethod
    def parse(cls, raw: Raw) -> Pod:
        status, spec = raw.get("status") or {}, raw.get("spec") or {}
        containers = tuple(_container(c, True) for c in status.get("initContainerStatuses") or [])
        containers += tuple(_container(c, False) for c in status.get("containerStatuses") or [])
        return cls(
            _meta(raw).get("name", ""),
            _meta(raw).get("namespace", ""),
            str(status.get("phase", "Unknown")),
            str(status.get("reason", "") or ""),
            str(status.get("message", "") or ""),
            dict(_labels(raw)),
            _conditions(raw),
            containers,
            tuple(c.get("name", "") for c in spec.get("containers") or []),
            tuple(c.get("name", "") for c in spec.get("initContainers") or []),
            str(spec.get("nodeName", "") or ""),
            parse_time(_meta(raw).get("creationTimestamp")),
        )

    @property
    def ready(self) -> bool:
        return any(c.type == "Ready" and c.status == "True" for c in self.conditions)

    @property
    def restarts(self) -> int:
        return sum(c.restarts for c in self.containers)

    @property
    def unschedulable(self) -> Condition | None:
        return next(
            (
                c
                for c in self.conditions
                if c.type == "PodScheduled" and c.reason == "Unschedulable"
            ),
            None,
        )

    @property
    def display_status(self) -> str:
        """The STATUS column of `kubectl get pods`."""
        if self.reason:
            return self.reason
        for c in self.containers:
            if c.init and c.state == "waiting" and c.reason:
                return f"Init:{c.reason}"
            if c.init and c.state == "terminated" and c.reason not in ("Completed", ""):
                return f"Init:{c.reason}"
        for c in self.containers:
            if not c.init and c.state == "waiting" and c.reason:
                return c.reason
            if not c.init and c.state == "terminated" and c.reason:
                return c.reason
        return self.phase

    def ready_count(self) -> str:
        main = [c for c in self.containers if not c.init]
        total = len(self.container_names) or len(main)
        return f"{sum(c.ready for c in main)}/{total}"


def parse_storage_config(raw: Raw) -> dict[str, StorageConfigEntry]:
    entries = {}
    for key, value in _decode(raw.get("data")).items():
        try:
            parsed = json.loads(value)
            entries[key] = StorageConfigEntry(
                key,
                parsed if isinstance(parsed, dict) else None,
                "" if isinstance(parsed, dict) else "not an object",
            )
        except ValueError as error:
            entries[key] = StorageConfigEntry(key, None, f"invalid JSON: {error}")
    return entries


# -- the one state word ----------------------------------------------------------------------
class Severity(StrEnum):
    OK = "ok"
    PROGRESSING = "progressing"
    FAILED = "failed"
    UNKNOWN = "unknown"


SEVERITY_MARKS = {
    Severity.OK: "✓",
    Severity.PROGRESSING: "…",
    Severity.FAILED: "✗",
    Severity.UNKNOWN: "?",
}
WORD_SEVERITY = {
    "Loaded": Severity.OK,
    "Standby": Severity.OK,
    "Pending": Severity.PROGRESSING,
    "Loading": Severity.PROGRESSING,
    "FailedToLoad": Severity.FAILED,
}
POD_FAULTS = (
    "OOMKilled",
    "CrashLoopBackOff",
    "ImagePullBackOff",
    "ErrImagePull",
    "InvalidImageName",
    "CreateContainerConfigError",
    "CreateContainerError",
)


@dataclass(frozen=True)
class DeploymentState:
    """The dashboard's word for a deployment, plus our reason where the word hides the fault
    (an OOMKilled KServe model stays "Pending"). `get`, `check` and the console all show this."""

    word: str
    reason: str = ""
    severity: Severity = Severity.UNKNOWN

    @property
    def text(self) -> str:
        return f"{self.word} · {self.reason}" if self.reason else self.word

    @property
    def mark(self) -> str:
        return SEVERITY_MARKS[self.severity]

    @property
    def failed(self) -> bool:
        return self.severity == Severity.FAILED


def _pod_fault(pod: Pod) -> str:
    """Why a runtime pod cannot serve, in kubectl's words; "" when nothing is wrong with it."""
    if pod.reason == "Evicted":
        return "Evicted"
    if pod.unschedulable is not None:
        return "Unschedulable"
    for c in pod.containers:
        current = c.reason if c.state in ("waiting", "terminated") else ""
        if current == "CrashLoopBackOff":
            return f"CrashLoopBackOff ({c.last_reason})" if c.last_reason else current
        if current in POD_FAULTS:
            return current
        if c.last_reason == "OOMKilled":
            return "OOMKilled"
    return ""


def deployment_state(dep: Deployment, pods: Iterable[Pod]) -> DeploymentState:
    """The dashboard's rule (unschedulable pods make it FailedToLoad, else the model's state
    word), with the first runtime pod fault as the reason; a pod fault is a failure whatever
    the word says."""
    fault = next((f for f in map(_pod_fault, pods) if f), "")
    word = "FailedToLoad" if fault == "Unschedulable" else dep.state
    severity = WORD_SEVERITY.get(word, Severity.UNKNOWN)
    if fault:
        severity = Severity.FAILED
    reason = fault
    if not reason and word == "FailedToLoad" and dep.failure and dep.failure.reason:
        reason = dep.failure.reason
    return DeploymentState(word=word, reason=reason, severity=severity)
