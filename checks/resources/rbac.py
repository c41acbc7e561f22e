"""Role bindings, for the token check's "no role binding grants it"."""

from __future__ import annotations

from dataclasses import dataclass

from checks.resources.common import (
    Raw,
    _meta,
)


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
            name=_meta(raw).get("name", ""),
            namespace=namespace,
            role_kind=str(ref.get("kind", "")),
            role_name=str(ref.get("name", "")),
            subjects=subjects,
        )

    def binds_service_account(self, namespace: str, name: str) -> bool:
        return ("ServiceAccount", namespace, name) in self.subjects
