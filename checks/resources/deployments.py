"""Deployed models: InferenceServices as a person thinks of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from checks.resources.common import (
    KSERVE,
    MODELMESH,
    Condition,
    Raw,
    _annotations,
    _conditions,
    _in_dashboard,
    _labels,
    _meta,
    parse_time,
)


@dataclass(frozen=True)
class FailureInfo:
    reason: str
    message: str
    location: str
    time: datetime | None
    exit_code: int | None


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
                reason=str(failure_raw.get("reason", "")),
                message=str(failure_raw.get("message", "")),
                location=str(failure_raw.get("location", "")),
                time=parse_time(failure_raw.get("time")),
                exit_code=failure_raw.get("exitCode"),
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
            name=meta.get("name", ""),
            namespace=meta.get("namespace", ""),
            display_name=annotations.get("openshift.io/display-name", ""),
            platform=MODELMESH if mode == "ModelMesh" else KSERVE,
            mode=mode,
            model_format=str(fmt.get("name", "")),
            model_format_version=str(fmt.get("version", "") or ""),
            runtime=str(model.get("runtime", "") or ""),
            storage_key=str(storage.get("key", "") or ""),
            storage_path=str(storage.get("path", "") or ""),
            storage_uri=str(model.get("storageUri", "") or ""),
            storage_bucket=str((storage.get("parameters") or {}).get("bucket", "") or ""),
            active_state=str(states.get("activeModelState", "") or ""),
            target_state=str(states.get("targetModelState", "") or ""),
            transition_status=str(model_status.get("transitionStatus", "") or ""),
            failure=failure,
            url=str(status.get("url", "") or ""),
            internal_url=str((status.get("address") or {}).get("url", "") or ""),
            rest_url=str(predictor.get("restUrl", "") or ""),
            conditions=_conditions(raw),
            auth_enabled=annotations.get("security.opendatahub.io/enable-auth") == "true"
            or annotations.get("enable-auth") == "true",
            visibility=visibility,
            in_dashboard=_in_dashboard(raw),
            created=parse_time(meta.get("creationTimestamp")),
        )

    @property
    def kind(self) -> str:
        """Listings show InferenceServices and LLMInferenceServices side by side."""
        return "isvc"

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
        """lastFailureInfo left over while the model is Loaded (docs/domain.md §2.1): not a failure."""
        return self.failure is not None and not self.failed and self.state == "Loaded"
