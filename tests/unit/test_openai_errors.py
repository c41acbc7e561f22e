"""vLLM's error bodies as they come back (current nested and older flat shapes, proxy text),
each explained in one line; and the checks made before a request is sent."""

from __future__ import annotations

from checks.endpoints.openai_api import CHAT, COMPLETION, explain_error, problems

NESTED_404 = {
    "error": {
        "message": "The model `llama` does not exist.",
        "type": "NotFoundError",
        "param": None,
        "code": 404,
    }
}
FLAT_400 = {
    "object": "error",
    "message": "This model's maximum context length is 4096 tokens. However, you requested "
    "5010 tokens (10 in the messages, 5000 in the completion). Please reduce the length of the "
    "messages or completion.",
    "type": "BadRequestError",
    "param": None,
    "code": 400,
}


def test_current_nested_shape() -> None:
    line = explain_error(404, NESTED_404)
    assert line.startswith("404 NotFoundError (vLLM error): The model `llama` does not exist.")
    assert "served model name" in line and "\n" not in line


def test_older_flat_shape() -> None:
    line = explain_error(400, FLAT_400)
    assert line.startswith("400 BadRequestError (vLLM error (older flat shape)): This model's")
    assert "lower max_tokens" in line and "\n" not in line


def test_proxy_refusals_in_plain_text() -> None:
    assert explain_error(401, None, "Unauthorized\n").startswith("401 Unauthorized: the token")
    forbidden = "Forbidden (user=system:serviceaccount:p:x, verb=get, resource=inferenceservices)"
    assert "role binding" in explain_error(403, None, forbidden)
    assert "not vLLM's JSON" in explain_error(502, None, "<html>bad gateway</html>")


def test_problems_before_sending() -> None:
    ok = {"model": "granite", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 8}
    assert problems(ok, CHAT, "granite", 4096) == []
    assert (
        'served model name is "granite"' in problems({**ok, "model": "x"}, CHAT, "granite", 4096)[0]
    )
    assert '"messages" is missing' in problems({**ok, "messages": []}, CHAT, "granite", None)[0]
    bad_role = {**ok, "messages": [{"role": "robot", "content": "Hi"}]}
    assert 'role "robot"' in problems(bad_role, CHAT, "granite", None)[0]
    assert "context length 4096" in problems({**ok, "max_tokens": 4096}, CHAT, "granite", 4096)[0]
    assert "whole number" in problems({**ok, "max_tokens": 0}, CHAT, "granite", 4096)[0]
    assert '"prompt" is missing' in problems({"model": "granite"}, COMPLETION, "granite", None)[0]
    assert problems([], CHAT, "granite", None) == ["the body must be a JSON object"]
