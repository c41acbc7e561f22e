"""Typed, read-only views of the RHOAI serving objects (docs/domain.md §1-3), one module per
family.

Built from the raw dicts the API returns; nothing here does I/O. Secret values stay in fields
excluded from repr, and `masked()` is what every renderer shows.

A family's module loads when one of its names is first asked for (`resources.Route`, or
`from checks.resources import Route`): each frozen dataclass costs 1-2 ms to make on Python
3.11, and `get deployments` needs the deployments', pods' and workloads' families, not the
connections', quotas', events', routes' or RBAC's.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checks.resources.common import (
        AWS_KEYS,
        DASHBOARD_LABEL,
        KSERVE,
        MODELMESH,
        Condition,
        Raw,
        age,
        elided,
        elided_marker,
        masked,
        parse_time,
    )
    from checks.resources.connections import (
        DataConnection,
        SecretInfo,
        StorageConfigEntry,
        parse_storage_config,
        registry_auths,
    )
    from checks.resources.deployments import Deployment, FailureInfo
    from checks.resources.events import Event
    from checks.resources.llm_services import ISVC, LLMISVC, ConditionNode, LLMService
    from checks.resources.modes import Mode, parse_mode
    from checks.resources.pods import ContainerState, Pod
    from checks.resources.projects import Project
    from checks.resources.quota import QuotaItem, QuotaRefusal, parse_quota_refusal
    from checks.resources.rbac import RoleBinding
    from checks.resources.routes import Route
    from checks.resources.servers import FormatSupport, ModelServer
    from checks.resources.state import DeploymentState, Severity, deployment_state
    from checks.resources.workloads import (
        Autoscaler,
        PredictorObjects,
        ResourceQuota,
        Service,
        ServicePort,
        Workload,
    )

    AnyDeployment = Deployment | LLMService

# each name, by the module of this package that defines it
HOMES = {
    "AWS_KEYS": "common",
    "Autoscaler": "workloads",
    "Condition": "common",
    "ConditionNode": "llm_services",
    "ContainerState": "pods",
    "DASHBOARD_LABEL": "common",
    "DataConnection": "connections",
    "Deployment": "deployments",
    "DeploymentState": "state",
    "Event": "events",
    "FailureInfo": "deployments",
    "FormatSupport": "servers",
    "ISVC": "llm_services",
    "KSERVE": "common",
    "LLMISVC": "llm_services",
    "LLMService": "llm_services",
    "MODELMESH": "common",
    "Mode": "modes",
    "ModelServer": "servers",
    "Pod": "pods",
    "PredictorObjects": "workloads",
    "Project": "projects",
    "QuotaItem": "quota",
    "QuotaRefusal": "quota",
    "Raw": "common",
    "ResourceQuota": "workloads",
    "RoleBinding": "rbac",
    "Route": "routes",
    "SecretInfo": "connections",
    "Service": "workloads",
    "ServicePort": "workloads",
    "Severity": "state",
    "StorageConfigEntry": "connections",
    "Workload": "workloads",
    "age": "common",
    "deployment_state": "state",
    "elided": "common",
    "elided_marker": "common",
    "masked": "common",
    "parse_mode": "modes",
    "parse_quota_refusal": "quota",
    "parse_storage_config": "connections",
    "parse_time": "common",
    "registry_auths": "connections",
}


def __getattr__(name: str) -> object:
    """The name from its family's module, loaded now if it was not (PEP 562)."""
    if name == "AnyDeployment":
        value: object = __getattr__("Deployment") | __getattr__("LLMService")  # type: ignore[operator]
    elif (home := HOMES.get(name)) is not None:
        value = getattr(import_module(f"{__name__}.{home}"), name)
    elif not name.startswith("__") and (spec := find_spec(f"{__name__}.{name}")) is not None:
        value = import_module(spec.name)  # a family's module itself (resources.llm_services)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


__all__ = [
    "AWS_KEYS",
    "DASHBOARD_LABEL",
    "ISVC",
    "KSERVE",
    "LLMISVC",
    "MODELMESH",
    "AnyDeployment",
    "Autoscaler",
    "Condition",
    "ConditionNode",
    "ContainerState",
    "DataConnection",
    "Deployment",
    "DeploymentState",
    "Event",
    "FailureInfo",
    "FormatSupport",
    "LLMService",
    "Mode",
    "ModelServer",
    "Pod",
    "PredictorObjects",
    "Project",
    "QuotaItem",
    "QuotaRefusal",
    "Raw",
    "ResourceQuota",
    "RoleBinding",
    "Route",
    "SecretInfo",
    "Service",
    "ServicePort",
    "Severity",
    "StorageConfigEntry",
    "Workload",
    "age",
    "deployment_state",
    "elided",
    "elided_marker",
    "masked",
    "parse_mode",
    "parse_quota_refusal",
    "parse_storage_config",
    "parse_time",
    "registry_auths",
]
