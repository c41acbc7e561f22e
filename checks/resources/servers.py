"""Model servers: ServingRuntimes and the model formats they serve."""

from __future__ import annotations

from dataclasses import dataclass

from checks.resources.common import (
    KSERVE,
    MODELMESH,
    Raw,
    _annotations,
    _in_dashboard,
    _meta,
)


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
    command: tuple[str, ...] = ()  # of the first container: `python -m vllm...` names vLLM
    args: tuple[str, ...] = ()  # of the first container, e.g. --served-model-name={{.Name}}

    @classmethod
    def parse(cls, raw: Raw) -> ModelServer:
        spec, annotations = raw.get("spec") or {}, _annotations(raw)
        formats = tuple(
            FormatSupport(
                name=str(f.get("name", "")),
                version=str(f.get("version", "") or ""),
                auto_select=bool(f.get("autoSelect")),
                priority=f.get("priority"),
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
            name=_meta(raw).get("name", ""),
            namespace=_meta(raw).get("namespace", ""),
            display_name=annotations.get("openshift.io/display-name", ""),
            platform=MODELMESH if spec.get("multiModel") else KSERVE,
            formats=formats,
            replicas=spec.get("replicas"),
            enable_route=annotations.get("enable-route") == "true",
            enable_auth=annotations.get("enable-auth") == "true",
            disabled=bool(spec.get("disabled")),
            images=tuple(c.get("image", "") for c in containers),
            template=annotations.get("opendatahub.io/template-name", ""),
            protocol_versions=tuple(spec.get("protocolVersions") or ()),
            in_dashboard=_in_dashboard(raw),
            memory_limit=memory,
            command=_strings(containers, "command"),
            args=_strings(containers, "args"),
        )


def _strings(containers: object, key: str) -> tuple[str, ...]:
    """A list of strings of the first container (command, args); () when malformed."""
    first = containers[0] if isinstance(containers, list) and containers else None
    values = first.get(key) if isinstance(first, dict) else None
    return tuple(str(v) for v in values) if isinstance(values, list) else ()
