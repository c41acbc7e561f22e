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
from checks.resources.modes import (
    MODE_ANNOTATION,
    STANDARD,
    VISIBILITY_KEY,
    Mode,
    is_stop_requested,
    parse_mode,
)

CONNECTION_PATH = "opendatahub.io/connection-path"


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
    mode_info: Mode | None = None
    stop_requested: bool = False
    visibility_annotation: str = ""  # networking.kserve.io/visibility set as an annotation
    uid: str = ""
    # RHOAI 3.x connections (docs/domain.md): the Secret named by the ISVC annotation, the S3
    # prefix annotation, and what the webhook injects (service account, pull secrets)
    connection_ref: str = ""
    connection_path: str | None = None  # None: no annotation; "" : annotation present, empty
    service_account: str = ""
    pull_secrets: tuple[str, ...] = ()
    has_storage_parameters: bool = False
    has_storage_path: bool = False  # spec.predictor.model.storage.path present (even "")
    model_args: tuple[str, ...] = ()  # spec.predictor.model.args, appended to the runtime's
    model_type: str = ""  # annotation opendatahub.io/model-type ("generative" for LLMs)

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
        mode_info = parse_mode(annotations.get(MODE_ANNOTATION), status.get("deploymentMode"))
        mode = mode_info.name
        predictor = (status.get("components") or {}).get("predictor") or {}
        visibility = (
            "internal"
            if (labels.get("networking.knative.dev/visibility") == "cluster-local")
            else "exposed"
        )
        if mode == STANDARD:
            visibility = "exposed" if labels.get(VISIBILITY_KEY) == "exposed" else "internal"
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
            # the webhook copies opendatahub.io/connection-path in when spec has no path
            storage_path=str(
                storage.get("path", "")
                if "path" in storage or "opendatahub.io/connections" not in annotations
                else annotations.get(CONNECTION_PATH, "")
            )
            or "",
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
            mode_info=mode_info,
            stop_requested=is_stop_requested(annotations),
            visibility_annotation=str(annotations.get(VISIBILITY_KEY, "") or ""),
            uid=str(meta.get("uid", "") or ""),
            connection_ref=str(annotations.get("opendatahub.io/connections", "") or ""),
            connection_path=(
                str(annotations.get(CONNECTION_PATH) or "")
                if CONNECTION_PATH in annotations
                else None
            ),
            service_account=str(spec.get("serviceAccountName", "") or ""),
            pull_secrets=tuple(
                str(s.get("name", ""))
                for s in spec.get("imagePullSecrets") or []
                if isinstance(s, dict)
            ),
            has_storage_parameters=bool(storage.get("parameters")),
            has_storage_path="path" in storage,
            model_args=tuple(str(a) for a in args)
            if isinstance(args := model.get("args"), list)
            else (),
            model_type=str(annotations.get("opendatahub.io/model-type", "") or ""),
        )

    @property
    def mode_label(self) -> str:
        """ "Standard (RawDeployment)", "Serverless (Knative)", "ModelMesh"."""
        return self.mode_info.label if self.mode_info else self.mode

    @property
    def status_mode(self) -> str:
        """What the controller recorded in status.deploymentMode ("" when absent)."""
        return self.mode_info.status if self.mode_info else ""

    @property
    def connection_name(self) -> str:
        """The connection the deployment uses: the 3.x annotation, else storage.key."""
        return self.connection_ref or self.storage_key

    @property
    def credentials_from_storage_config(self) -> bool:
        """KServe reads storage-config only when storage.key AND storage.parameters are both
        set; otherwise it takes S3 credentials from the pod service account's secrets
        (opendatahub-io/kserve storage_initializer_injector). ModelMesh always uses it."""
        if self.platform == MODELMESH:
            return True
        return bool(self.storage_key and self.has_storage_parameters) or not self.connection_ref

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
