"""Plain words for what an inference endpoint answered: OVMS, ModelMesh's REST proxy, the KServe
python server, Triton, MLServer (docs/domain.md §4.3-4.5), the OpenShift router and the auth proxies (docs/domain.md §4.2)."""

from __future__ import annotations

import re

from checks.endpoints.probe import HttpAnswer
from checks.knowledge import auth_proxy

OVMS_MEANINGS = (
    ("The file is not valid json", "the request body is not valid JSON"),
    ("Request body should be JSON object", "the request body must be a JSON object"),
    ("Invalid JSON structure, missing inputs", 'the request has no "inputs"'),
    (
        "Could not parse input content. Not valid ndarray detected",
        'an input lacks "name", "shape" or "datatype", or its "data" has values of the wrong type',
    ),
    (
        "Could not parse input content. Unsupported data precision detected",
        'an input\'s "datatype" is not a v2 datatype (FP32, INT64, ...)',
    ),
    (
        "Model with requested name is not found",
        "no model of that name: the name in the URL must be the deployment's name",
    ),
    (
        "Model with requested version is not found",
        "the server has no version of the model: on KServe the files must be in a numeric "
        "folder (<path>/1/model.onnx)",
    ),
    ("Model with requested version is not loaded yet", "the model is still loading"),
    ("Invalid number of inputs", "the request has a different number of inputs than the model"),
    ("Missing input with specific name", "an input name does not match the model's"),
    ("Invalid input precision", "an input's datatype differs from the model's"),
    ("Invalid number of shape dimensions", "an input's shape has the wrong rank"),
    ("Invalid input batch size", "the batch dimension does not match the model's fixed batch"),
    ("Invalid input shape", "an input's shape differs from the model's"),
    (
        "Invalid number of values in tensor proto container",
        "the number of values in data does not match the shape",
    ),
    ("Error while loading a model", "the server is up but a model is not loaded"),
    ("Requested REST resource not found", "no such path on the server"),
    # KServe python server, Triton, MLServer
    ("does not exist", "no model of that name on the server"),
    ("is not ready", "the model is not ready yet"),
    ("invalid datatype", "an input's datatype is not one the server accepts"),
    ("cannot reshape array", "the number of values in data does not match the shape"),
    ("unexpected shape for input", "an input's shape differs from the model's"),
    ("data-type is", "an input's datatype differs from the model's"),
    ("unexpected inference input", "an input name does not match the model's"),
    ("failed to parse the request JSON", "the request body is not valid JSON"),
    ("Request for unknown model", "no model of that name on the server"),
    ("not found", "no such model or path"),
)


def _meaning(message: str) -> str:
    for needle, meaning in OVMS_MEANINGS:
        if needle.lower() in message.lower():
            return meaning
    return ""


def explain(answer: HttpAnswer, model: str = "") -> str:
    """One or two sentences a person can act on."""
    status, who, detail = answer.status, answer.who, answer.detail
    if who == auth_proxy.OAUTH_PROXY:
        where = auth_proxy.oauth_login(status, answer.headers) or ""
        return auth_proxy.explain_login(status, where)
    if who == "a redirect":
        return (
            f"{status}, {detail}: not the model's answer; rhoai-doctor does not follow it, and "
            "a client's POST loses its body on the way: call the address it points at"
        )
    if 200 <= status < 300 and who == "a web page":
        return (
            f"{status} with an HTML page, not the model's JSON: a login page or proxy (SSO) is "
            "in front of the route, and the request never reached the model"
        )
    if 200 <= status < 300 and who == "unknown":
        return f"{status} whose body is not JSON ({detail}): truncated, or not the model answering"
    if 200 <= status < 300:
        return f"{status} from {who}: the model answered"
    if who == "OpenShift router":
        return (
            f"{status} from the OpenShift router ('Application is not available'): no ready "
            "pod is behind the route, or the path is outside the route's path (on ModelMesh "
            f"the route only forwards /v2/models/{model or '<name>'}[/infer])"
        )
    if who == auth_proxy.WHO:
        refusal = auth_proxy.parse(status, "text/plain", detail)
        if refusal is not None:
            return auth_proxy.explain(refusal, model)
    if who == "Authorino":
        if status == 401:
            return (
                f"401 from Authorino ({detail}): send 'Authorization: Bearer <token>' with a "
                "valid service-account token"
            )
        return (
            f"403 from Authorino ({detail}): the token is valid but its service account may "
            "not get this InferenceService (role binding missing)"
        )
    if who == "ModelMesh REST proxy":
        inner = re.sub(r"^.*?(INVALID_ARGUMENT|NOT_FOUND|UNAVAILABLE|INTERNAL): ", "", detail)
        if detail == "Not Found":
            return (
                f"{status} from ModelMesh's REST proxy: it serves only GET /v2/models/<name> "
                "and POST /v2/models/<name>/infer"
            )
        meaning = _meaning(inner)
        return f"{status} from ModelMesh: {inner}" + (f" — {meaning}" if meaning else "")
    if who == "model server":
        meaning = _meaning(detail)
        return f"{status} from the model server: {detail}" + (f" — {meaning}" if meaning else "")
    if status == 422:
        return f"422 from the server: the request does not follow the v2 schema ({detail})"
    return f"{status} from {who}: {detail}"
