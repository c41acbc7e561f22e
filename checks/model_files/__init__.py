"""What a model's files say: the ONNX signature reader, Hugging Face folders, `inspect`.
May import storage/, resources/, transport/ and the top-level leaves."""
