"""Tables of what runtimes, proxies and controllers do and say (OVMS, vLLM, kube-rbac-proxy,
crash signatures). May import resources/, cluster/'s types and the top-level text."""
