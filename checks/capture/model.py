"""One shape for every capture, whatever wrote it: the faces and the checks read a `Capture` and
never care whether it came from a bundle or a must-gather directory."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checks.cluster.kube import Raw


@dataclass(frozen=True)
class CaptureMeta:
    """Where and when the capture was taken, shown in the offline header."""

    source: str  # "bundle" or "must-gather"
    context: str  # kubeconfig context name ("" when unknown)
    server: str  # API server URL ("" when unknown)
    captured_at: str  # ISO 8601 UTC ("" when unknown)
    tool_version: str = ""  # rhoai-doctor version that wrote it ("" for must-gather)
    user: str = ""  # who captured it, as the API server named them
    namespace: str = ""  # the context's namespace at capture time ("" when unknown)
    tls_unverified: bool = False  # the live run did not verify TLS (its reports say so)


@dataclass(frozen=True)
class LogKey:
    namespace: str
    pod: str
    container: str
    previous: bool = False


@dataclass
class Capture:
    """Everything a capture holds, keyed as the live session keys it.

    objects: namespace -> snapshot kind (checks.cluster.snapshot_kinds.KIND_PATHS keys) -> items as the
        API returned them (secret values already redacted).
    forbidden: namespace -> kind -> the one-line reason the read failed at capture time.
    logs: log tails by pod/container/current-or-previous.
    facts: "namespace/deployment" -> fact key (as CheckContext.fact keys it) -> JSON form of the
        recorded answer or error.
    reports: "namespace/deployment" -> the diagnosis JSON as `check -o json` printed it.
    projects: the project (namespace) LIST as returned, when the capture holds it.
    error_kinds: namespace -> kind -> the failed read's ErrorKind ("forbidden" when absent).
    """

    meta: CaptureMeta
    objects: dict[str, dict[str, list[Raw]]] = field(default_factory=dict)
    forbidden: dict[str, dict[str, str]] = field(default_factory=dict)
    # namespace -> kind -> one line per object or file that could not be read (the rest of the
    # kind was); additive, optional
    unreadable: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    logs: dict[LogKey, str] = field(default_factory=dict)
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)
    projects: list[Raw] = field(default_factory=list)  # the project LIST ([] when not captured)
    error_kinds: dict[str, dict[str, str]] = field(default_factory=dict)  # ns -> kind -> ErrorKind

    @property
    def namespaces(self) -> list[str]:
        return sorted(self.objects)
