"""OpenShift routes in front of model servers."""

from __future__ import annotations

from dataclasses import dataclass

from checks.resources.common import (
    Raw,
    _labels,
    _meta,
)


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
    owner_uids: tuple[str, ...] = ()  # KServe trusts a Standard model's Route only when it owns it

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
            name=_meta(raw).get("name", ""),
            namespace=_meta(raw).get("namespace", ""),
            host=str(spec.get("host", "")),
            path=str(spec.get("path", "") or ""),
            service=str((spec.get("to") or {}).get("name", "")),
            port=str((spec.get("port") or {}).get("targetPort", "")),
            termination=str((spec.get("tls") or {}).get("termination", "") or "none"),
            admitted=admitted,
            admitted_message=message,
            deployment=labels.get("inferenceservice-name")
            or labels.get("serving.kserve.io/inferenceservice", ""),
            owner_uids=tuple(
                str(o.get("uid", ""))
                for o in _meta(raw).get("ownerReferences") or []
                if isinstance(o, dict) and o.get("kind") == "InferenceService"
            ),
        )

    @property
    def url(self) -> str:
        scheme = "http" if self.termination == "none" else "https"
        return f"{scheme}://{self.host}{self.path}"
