"""Where checks/'s modules lived before it had rooms (issue 24): a bundle recorded by an earlier
build names its facts' classes by those paths, and must still read back the same.

Names here are written without their "checks." prefix on purpose (a search for a module's old
dotted path should find only the code that still uses it)."""

from __future__ import annotations

# room -> the modules that moved into it with their names
_SAME_NAME = {
    "cluster": "connect kubeconfig local_input kube kube_proxy wire list_pages snapshot snapshot_kinds kinds",
    "transport": "addressing pools capped no_answer protocol_words redirects",
    "storage": "threads",  # s3_client, s3_xml and sigv4 are gone (boto3 reads S3); no fact was theirs
    "endpoints": "probe send routes burst_pool v2 openai_api explain",
    "model_files": "onnx hf_folder inspection",
    "knowledge": "runtimes auth_proxy crash_signatures connection_refs generative vllm_runtime",
    "resources": "tables fleet",
    "engine": "context facts facts_standard auth_facts gateway login_token redaction report manifests",
    "request": "chat_request local_run",
    "capture": "offline",
}
_RENAMED = {
    "cluster_lists": "cluster.all_namespaces",
    "storage": "storage.s3",
    "storage_errors": "storage.s3_errors",
    "model_files": "storage.model_dir",
    "registry": "storage.oci_registry",
    "engine": "engine.runner",
    "request": "request.model_request",
}
FORMER: dict[str, str] = {
    **{old: f"{room}.{old}" for room, olds in _SAME_NAME.items() for old in olds.split()},
    **_RENAMED,
}


def current_name(dotted: str) -> str | None:
    """The path today of a class recorded as `checks.<old module>[.<sub>].<Class>`, or None when
    its module never moved."""
    package, _, rest = dotted.partition(".")
    head, dot, tail = rest.partition(".")
    if package != "checks" or head not in FORMER or not dot:
        return None
    return f"checks.{FORMER[head]}.{tail}"
