"""Model servers over HTTP: the route probe, send, bursts, v2 and OpenAI protocols, plain
words for their answers. May import transport/, knowledge/ and the top-level leaves."""
