"""An ONNX model's signature (inputs, outputs, opsets, IR version, operator domains), read with a
small protobuf wire-format walker instead of `onnx.load`.

The walker reads through a random-access ByteSource and steps over what it does not need by its
length, so the weights of a 1 GiB model in S3 are never fetched: a few ranged GETs suffice. Any
damage (truncation, garbage, a pickle) ends in one OnnxSignatureError worded for a person.
Pure standard library on purpose: `rhoai-doctor inspect` should not pay for importing onnx.

Seams: `sources` (byte sources), `wire` (protobuf wire format), `graph` (ONNX messages),
`signature` (what is kept), `reader` (entry points).
"""

from checks.model_files.onnx.external import external_files, external_problems
from checks.model_files.onnx.reader import read_signature, read_signature_from_range_reader
from checks.model_files.onnx.signature import (
    ExternalData,
    OnnxSignature,
    OnnxSignatureError,
    TensorSpec,
    v2_datatype,
)
from checks.model_files.onnx.sources import ByteSource, BytesSource, FileSource, RangeReaderSource

__all__ = [
    "ByteSource",
    "BytesSource",
    "ExternalData",
    "FileSource",
    "OnnxSignature",
    "OnnxSignatureError",
    "RangeReaderSource",
    "TensorSpec",
    "external_files",
    "external_problems",
    "read_signature",
    "read_signature_from_range_reader",
    "v2_datatype",
]
