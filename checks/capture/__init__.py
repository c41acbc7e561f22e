"""Captures of a cluster read back with no cluster: rhoai-doctor's own evidence bundles and
`oc adm must-gather` / `oc adm inspect` directories, both read into one `Capture`."""
