"""`rhoai-doctor infer` against the lab's generative deployment (llm-project/granite, vLLM):
streamed chat with TTFT and tokens/s, completions, bursts, validation before sending, curl."""

from __future__ import annotations

import json
import re

from tests.cli.test_infer import infer

TARGET = ("-n", "llm-project", "granite")
SUMMARY = re.compile(r"^TTFT \d+ ms · (\d+) tokens · \d+ tokens/s", re.M)


def test_chat_streams_and_ends_with_ttft_and_tokens_per_second(lab) -> None:
    out = infer(lab, *TARGET, "--chat", "Hello")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("Hello! I am granite.")
    match = SUMMARY.search(out.stdout)
    assert match and int(match.group(1)) == 24, out.stdout
    assert "POST https://granite-llm-project.apps.rhoai-lab.test/v1/chat/completions" in out.stderr


def test_no_stream_and_completion(lab) -> None:
    whole = infer(lab, *TARGET, "--chat", "Hello", "--no-stream", "--max-tokens", "6")
    assert whole.returncode == 0, whole.stderr
    assert whole.stdout.splitlines()[0] == "Hello! I am granite."
    assert "TTFT" not in whole.stdout and "6 tokens" in whole.stdout
    completion = infer(lab, *TARGET, "--completion", "Once upon a time", "--max-tokens", "3")
    assert completion.returncode == 0, completion.stderr
    assert completion.stdout.splitlines()[0] == "Hello! I"
    assert "/v1/completions" in completion.stderr


def test_prefill_names_the_served_model_and_context_length(lab) -> None:
    out = infer(lab, *TARGET, "--example")
    body = json.loads(out.stdout)
    assert body["model"] == "granite" and body["stream"] is True
    assert body["messages"][0]["role"] == "user"
    assert "max_model_len 4096 from /v1/models" in out.stderr


def test_burst_reports_ttft_and_tokens_per_second_percentiles(lab) -> None:
    out = infer(lab, *TARGET, "--repeat", "50", "--concurrency", "4")
    assert out.returncode == 0, out.stderr
    assert "50 requests, 4 at a time" in out.stdout and "0 error(s)" in out.stdout
    assert re.search(r"^TTFT p50 \d+ ms · p90 \d+ ms · p99 \d+ ms$", out.stdout, re.M), out.stdout
    assert re.search(r"^tokens/s p50 \d+ · p90 \d+ · p99 \d+$", out.stdout, re.M), out.stdout


def test_burst_counts_errors_by_reason(lab) -> None:
    out = infer(lab, *TARGET, "--model", "llama", "--force", "--repeat", "4", "--concurrency", "2")
    assert out.returncode == 1
    assert "errors by reason: 4x 404 NotFoundError" in out.stdout
    assert "The model `llama` does not exist." in out.stdout


def test_wrong_model_and_too_many_tokens_are_refused_before_sending(lab) -> None:
    wrong = infer(lab, *TARGET, "--chat", "Hi", "--model", "llama")
    assert wrong.returncode == 2
    assert wrong.stdout == ""
    assert wrong.stderr.strip().splitlines() == [
        'the request was not sent: model "llama" is not served here: the served model name is '
        "\"granite\" (vLLM would answer 404 'The model ... does not exist.')"
    ]
    big = infer(lab, *TARGET, "--chat", "Hi", "--max-tokens", "5000")
    assert big.returncode == 2
    [line] = big.stderr.strip().splitlines()
    assert "max_tokens 5000" in line and "context length 4096" in line


def test_server_error_is_one_explained_line(lab) -> None:
    out = infer(lab, *TARGET, "--chat", "Hi", "--max-tokens", "5000", "--force")
    assert out.returncode == 1
    assert (
        "400 BadRequestError (vLLM error): This model's maximum context length is 4096 tokens."
        in out.stderr
    )


def test_curl_export_streams_with_dash_n_and_token_variable(lab) -> None:
    out = infer(lab, *TARGET, "--chat", "Hello", "--curl")
    assert out.returncode == 0, out.stderr
    command = out.stdout.strip()
    assert command.startswith("curl -sS -N -X POST https://granite-llm-project.")
    assert "/v1/chat/completions" in command and '"Authorization: Bearer $TOKEN"' in command
    assert '"stream":true' in command
    assert "default-name-granite-sa" in out.stderr
    whole = infer(lab, *TARGET, "--chat", "Hello", "--curl", "--no-stream")
    assert " -N " not in whole.stdout


def test_chat_on_an_onnx_deployment_is_a_usage_error(lab) -> None:
    out = infer(lab, "-n", "iris-project", "iris-model", "--chat", "hi")
    assert out.returncode == 2
    assert "not a generative (vLLM) deployment" in out.stderr
