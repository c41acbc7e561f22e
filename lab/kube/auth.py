"""Who is calling (bearer tokens) and what they may do (RBAC evaluated from the stored bindings)."""

from __future__ import annotations

import base64
import json
import secrets
import time
from dataclasses import dataclass, field

from lab.kube.store import Obj, Store


@dataclass(frozen=True)
class UserInfo:
    username: str
    uid: str = ""
    groups: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    def as_dict(self) -> dict:
        info: dict = {"username": self.username, "groups": list(self.groups)}
        if self.uid:
            info["uid"] = self.uid
        return info


ANONYMOUS = UserInfo("system:anonymous", groups=("system:unauthenticated",))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def service_account_user(namespace: str, name: str, uid: str = "") -> UserInfo:
    return UserInfo(
        f"system:serviceaccount:{namespace}:{name}",
        uid,
        ("system:serviceaccounts", f"system:serviceaccounts:{namespace}", "system:authenticated"),
    )


class Authenticator:
    """Maps bearer tokens to users; service-account tokens are JWT-shaped like the real ones."""

    def __init__(self) -> None:
        self._tokens: dict[str, tuple[UserInfo, float | None]] = {}

    def add_user_token(self, user: UserInfo) -> str:
        token = "sha256~" + secrets.token_urlsafe(32)
        self._tokens[token] = (user, None)
        return token

    def issue_service_account_token(
        self, namespace: str, name: str, uid: str, expires_at: float | None = None
    ) -> str:
        """A token shaped like a legacy SA token secret's; `expires_at` in the past makes it stale."""
        claims: dict = {
            "iss": "kubernetes/serviceaccount",
            "kubernetes.io/serviceaccount/namespace": namespace,
            "kubernetes.io/serviceaccount/service-account.name": name,
            "kubernetes.io/serviceaccount/service-account.uid": uid,
            "sub": f"system:serviceaccount:{namespace}:{name}",
            "iat": int(time.time()) - 3600,
        }
        if expires_at is not None:
            claims["exp"] = int(expires_at)
        header = _b64url(json.dumps({"alg": "RS256", "kid": "lab"}).encode())
        payload = _b64url(json.dumps(claims).encode())
        token = f"{header}.{payload}.{_b64url(secrets.token_bytes(64))}"
        self._tokens[token] = (service_account_user(namespace, name, uid), expires_at)
        return token

    def authenticate(self, token: str | None) -> UserInfo | None:
        """None when a token was given but is unknown or expired (the API server answers 401)."""
        if not token:
            return ANONYMOUS
        entry = self._tokens.get(token)
        if entry is None:
            return None
        user, expires_at = entry
        if expires_at is not None and expires_at < time.time():
            return None
        return user


@dataclass(frozen=True)
class Attributes:
    verb: str
    group: str
    resource: str
    namespace: str = ""
    name: str = ""
    subresource: str = ""


def _subject_matches(subject: dict, user: UserInfo, binding_namespace: str) -> bool:
    kind = subject.get("kind")
    if kind == "User":
        return subject.get("name") == user.username
    if kind == "Group":
        return subject.get("name") in user.groups
    if kind == "ServiceAccount":
        namespace = subject.get("namespace") or binding_namespace
        return user.username == f"system:serviceaccount:{namespace}:{subject.get('name')}"
    return False


def _cluster_subjects(binding: Obj) -> list[tuple[str, str]]:
    """Who a ClusterRoleBinding names, as ("user" | "group", name): what _subject_matches
    accepts with no binding namespace."""
    keys = []
    for subject in binding.get("subjects") or []:
        kind, name = subject.get("kind"), subject.get("name")
        if kind == "User":
            keys.append(("user", name))
        elif kind == "Group":
            keys.append(("group", name))
        elif kind == "ServiceAccount":
            keys.append(("user", f"system:serviceaccount:{subject.get('namespace') or ''}:{name}"))
    return keys


def _rule_allows(rule: dict, attrs: Attributes) -> bool:
    resource = f"{attrs.resource}/{attrs.subresource}" if attrs.subresource else attrs.resource
    verbs, groups = rule.get("verbs") or [], rule.get("apiGroups") or []
    resources, names = rule.get("resources") or [], rule.get("resourceNames") or []
    return (
        ("*" in verbs or attrs.verb in verbs)
        and ("*" in groups or attrs.group in groups)
        and ("*" in resources or resource in resources)
        and (not names or attrs.name in names)
    )


class Authorizer:
    """RBAC as the API server evaluates it: bindings -> roles -> rules; masters may do anything."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def _role_rules(self, role_ref: dict, namespace: str) -> list[dict]:
        from lab.kube.kinds import kind_by_name

        if role_ref.get("kind") == "ClusterRole":
            role = self._store.get(kind_by_name("ClusterRole"), "", role_ref.get("name", ""))
        else:
            role = self._store.get(kind_by_name("Role"), namespace, role_ref.get("name", ""))
        return list((role or {}).get("rules") or [])

    def _bindings(self, user: UserInfo, namespace: str) -> list[tuple[Obj, str]]:
        """(binding, namespace it grants in) for every binding naming the user."""
        from lab.kube.kinds import kind_by_name

        by_subject = self._store.indexed(
            kind_by_name("ClusterRoleBinding"), "subject", _cluster_subjects
        )
        found: list[tuple[Obj, str]] = []
        for key in (("user", user.username), *(("group", group) for group in user.groups)):
            for binding in by_subject.get(key, ()):
                if all(b is not binding for b, _ in found):
                    found.append((binding, ""))
        if namespace:
            for binding in self._store.list(kind_by_name("RoleBinding"), namespace):
                if any(_subject_matches(s, user, namespace) for s in binding.get("subjects") or []):
                    found.append((binding, namespace))
        return found

    def allowed(self, user: UserInfo, attrs: Attributes) -> bool:
        if "system:masters" in user.groups:
            return True
        for binding, namespace in self._bindings(user, attrs.namespace):
            for rule in self._role_rules(binding.get("roleRef") or {}, namespace):
                if _rule_allows(rule, attrs):
                    return True
        return False

    def bound_namespaces(self, user: UserInfo) -> set[str]:
        """Namespaces where some RoleBinding names the user: the projects OpenShift lists for them."""
        return {
            b["metadata"]["namespace"]
            for b in self._store.iter_kind("RoleBinding")
            if any(
                _subject_matches(s, user, b["metadata"]["namespace"])
                for s in b.get("subjects") or []
            )
        }


def forbidden_message(user: UserInfo, attrs: Attributes) -> str:
    """Worded exactly like kube-apiserver's RBAC denial."""
    resource = f"{attrs.resource}/{attrs.subresource}" if attrs.subresource else attrs.resource
    qualified = f"{attrs.resource}.{attrs.group}" if attrs.group else attrs.resource
    subject = f'{qualified} "{attrs.name}"' if attrs.name else qualified
    where = f' in the namespace "{attrs.namespace}"' if attrs.namespace else " at the cluster scope"
    return (
        f'{subject} is forbidden: User "{user.username}" cannot {attrs.verb} resource '
        f'"{resource}" in API group "{attrs.group}"{where}'
    )
