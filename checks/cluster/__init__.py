"""The Kubernetes API: kubeconfig and connection, the read-only HTTP client, LISTs and the
snapshot. May import transport/, resources/ and the top-level errors, text."""
