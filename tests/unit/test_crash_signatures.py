"""The vLLM start-up signature table over realistic log tails: each signature, the first fatal line
wins, a log with none falls back, and huge or escape-laden logs are matched bounded and shown
harmless."""

from __future__ import annotations

import pytest

from checks.knowledge.crash_signatures import (
    MAX_LOG_CHARS,
    QUOTE_CHARS,
    clean,
    last_line,
    match_log,
)
from lab.vllm_logs import cuda_oom_log, kv_cache_log

PREFIX = "ERROR 12-01 18:41:58 [core.py:396] "
START = [
    "INFO 12-01 18:41:01 [__init__.py:239] Automatically detected platform cuda.",
    "INFO 12-01 18:41:02 [api_server.py:1044] args: Namespace(host=None, port=8080, "
    "model='/mnt/models', max_model_len=32768, trust_remote_code=False)",
    "INFO 12-01 18:41:15 [gpu_model_runner.py:1329] Starting to load model /mnt/models...",
]
V0_KV = (
    "ValueError: The model's max seq len (131072) is larger than the maximum number of tokens "
    "that can be stored in KV cache (41664). Try increasing `gpu_memory_utilization` or "
    "decreasing `max_model_len` when initializing the engine."
)
NO_BLOCKS = (
    "ValueError: No available memory for the cache blocks. Try increasing "
    "`gpu_memory_utilization` when initializing the engine."
)
REMOTE_CODE = (
    "ValueError: The repository for /mnt/models contains custom code which must be executed "
    "to correctly load the model. You can inspect the repository content at /mnt/models. "
    "Please pass the argument `trust_remote_code=True` to allow custom code to be run."
)
OFFLINE = (
    "OSError: We couldn't connect to 'https://huggingface.co' to load this file, couldn't find "
    "it in the cached files and it looks like /mnt/models is not the path to a directory "
    "containing a file named config.json."
)
NOT_A_FOLDER = (
    "OSError: llama is not a local folder and is not a valid model identifier listed on "
    "'https://huggingface.co/models'"
)
NO_GPU = "RuntimeError: No CUDA GPUs are available"
NO_DEVICE = "RuntimeError: Failed to infer device type"


def tail(*lines: str) -> str:
    return "\n".join([*START, *lines, "RuntimeError: Engine core initialization failed."]) + "\n"


@pytest.mark.parametrize(
    ("log", "signature", "length", "words"),
    [
        ("\n".join(kv_cache_log("llama")), "kv-cache", 9168, "estimated maximum model length"),
        (tail(PREFIX + V0_KV), "kv-cache", 41664, "KV cache (41664)"),
        ("\n".join(cuda_oom_log("llama")), "cuda-oom", None, "CUDA out of memory"),
        (tail("torch.cuda.OutOfMemoryError: CUDA out of memory. Tried"), "cuda-oom", None, "torch"),
        (tail(PREFIX + NO_BLOCKS), "no-cache-blocks", None, "cache blocks"),
        (tail(REMOTE_CODE), "trust-remote-code", None, "trust_remote_code=True"),
        (tail(OFFLINE), "offline-download", None, "huggingface.co"),
        (tail(NOT_A_FOLDER), "offline-download", None, "not a local folder"),
        (tail(NO_GPU), "no-gpu", None, "No CUDA GPUs"),
        (tail(NO_DEVICE), "no-gpu", None, "infer device type"),
    ],
)
def test_each_signature_names_its_cause_and_quotes_the_line(log, signature, length, words) -> None:
    cause = match_log(log)
    assert cause is not None
    assert (cause.signature, cause.max_model_len) == (signature, length)
    assert words in cause.line
    assert not cause.line.startswith("ERROR 12-01")  # vLLM's logger prefix is dropped


def test_the_kv_cache_fix_names_the_value_that_fits() -> None:
    cause = match_log("\n".join(kv_cache_log("llama")))
    assert cause is not None
    assert "--max-model-len=9168" in cause.fix
    assert "32768" in cause.meaning and "9168" in cause.meaning


def test_the_first_fatal_line_wins() -> None:
    cause = match_log(tail(PREFIX + "torch.OutOfMemoryError: CUDA out of memory.", NO_BLOCKS))
    assert cause is not None and cause.signature == "cuda-oom"


def test_vllm_s_own_args_line_is_not_a_trust_remote_code_refusal() -> None:
    assert match_log(tail("KeyboardInterrupt")) is None


def test_a_log_with_no_known_signature_gives_its_last_line() -> None:
    log = tail("AssertionError: something vLLM never said before")
    assert match_log(log) is None
    assert last_line(log) == "RuntimeError: Engine core initialization failed."
    assert last_line("") == ""


def test_huge_escape_laden_logs_are_matched_bounded_and_shown_harmless() -> None:
    noise = "\x1b[32mINFO\x1b[0m loading shard \x1b[1m42\x1b[0m of 99\n" * 200_000
    fatal = (
        "\x1b[31mERROR\x1b[0m \x1b]52;c;ZWNobyBwd25lZA==\x07torch.OutOfMemoryError: CUDA out of "
        "memory. Tried to allocate " + "9" * 5000 + " GiB\u202e\r\x07"
    )
    log = noise + fatal + "\n"
    assert len(clean(log)) <= MAX_LOG_CHARS
    cause = match_log(log)
    assert cause is not None and cause.signature == "cuda-oom"
    assert len(cause.line) <= QUOTE_CHARS
    assert "\x1b" not in cause.line and "\x07" not in cause.line and "\u202e" not in cause.line
    assert "]52;" not in cause.line  # the clipboard-writing OSC sequence is gone, not shown


def test_one_enormous_line_without_newlines_is_bounded() -> None:
    cause = match_log("x" * 10_000_000 + NO_GPU)
    assert cause is not None and len(cause.line) <= QUOTE_CHARS
