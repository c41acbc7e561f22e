"""One request to a model, built from the model (v2 tensors or OpenAI chat): validate, send,
burst, compare locally. May import engine/ and the rooms below it; never the session."""
