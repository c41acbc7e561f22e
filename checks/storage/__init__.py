"""Where models are stored: S3 (signed reads, errors), OCI registries, what lands in the
model directory. May import transport/, endpoints/, resources/ and the top-level leaves."""
