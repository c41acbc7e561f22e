"""Is a deployment a generative (LLM) one served by vLLM, and what does its command line say?

vLLM speaks OpenAI's API, not KServe v2: checks and the request composer switch protocol on this.
Facts from the vLLM runtime templates (reference rhoai-3x §5): format `vLLM`, command
`python -m vllm.entrypoints.openai.api_server`, served model name = `--served-model-name`
(the template sets `{{.Name}}`, the InferenceService's name); deployment args are appended.
"""

from __future__ import annotations

from checks.resources import AnyDeployment, ModelServer


def is_generative(deployment: AnyDeployment, server: ModelServer | None) -> bool:
    """vLLM format, a vLLM runtime, or the dashboard's `generative` model type."""
    if deployment.model_format.lower() == "vllm" or deployment.model_type == "generative":
        return True
    if server is None:
        return False
    command = " ".join(server.command + server.args)
    return (
        "vllm" in command
        or "vllm" in server.template.lower()
        or any(f.name.lower() == "vllm" for f in server.formats)
    )


def _args(deployment: AnyDeployment, server: ModelServer | None) -> list[str]:
    """The runtime's args then the deployment's, as KServe merges them (last one wins)."""
    return [*(server.args if server else ()), *deployment.model_args]


def arg_value(deployment: AnyDeployment, server: ModelServer | None, flag: str) -> str | None:
    """The value of `--flag=value` or `--flag value`, the last occurrence winning."""
    found = None
    args = _args(deployment, server)
    for i, arg in enumerate(args):
        if arg.startswith(flag + "="):
            found = arg.split("=", 1)[1]
        elif arg == flag and i + 1 < len(args):
            found = args[i + 1]
    return found


def served_model_name(deployment: AnyDeployment, server: ModelServer | None) -> str:
    """What `model` must say: --served-model-name with {{.Name}} filled in, else the name."""
    value = arg_value(deployment, server, "--served-model-name")
    if not value:
        return deployment.name
    return value.replace("{{.Name}}", deployment.name).split(",")[0].split()[0] or deployment.name


def max_model_len_arg(deployment: AnyDeployment, server: ModelServer | None) -> int | None:
    value = arg_value(deployment, server, "--max-model-len")
    try:
        return int(value) if value else None
    except ValueError:
        return None
