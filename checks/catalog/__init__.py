"""The catalogue of checks. Their ids are a public interface: scripts depend on them.

A new check is one new module here and one line in CATALOG.
"""

from __future__ import annotations

from checks.catalog.auth import AuthCheck
from checks.catalog.bucket_path import BucketPath
from checks.catalog.data_connection import DataConnectionCheck
from checks.catalog.deployment_status import DeploymentStatus
from checks.catalog.events import RecentEvents
from checks.catalog.input_shape import InputShape
from checks.catalog.migration import Migration
from checks.catalog.model_format import ModelFormat
from checks.catalog.route import RouteCheck
from checks.catalog.runtime_pods import RuntimePods
from checks.catalog.serving_runtime import ServingRuntime
from checks.catalog.token import TokenCheck
from checks.engine.runner import Check

CATALOG: tuple[Check, ...] = (
    DataConnectionCheck(),
    BucketPath(),
    ModelFormat(),
    ServingRuntime(),
    RuntimePods(),
    DeploymentStatus(),
    RouteCheck(),
    TokenCheck(),
    InputShape(),
    RecentEvents(),
    AuthCheck(),
    Migration(),
)
