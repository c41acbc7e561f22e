"""Typed, read-only views of the RHOAI serving objects (docs/domain.md §1-3), one module per
family.

Built from the raw dicts the API returns; nothing here does I/O. Secret values stay in fields
excluded from repr, and `masked()` is what every renderer shows.
"""

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
