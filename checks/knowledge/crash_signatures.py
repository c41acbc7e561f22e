"""Why a vLLM server died at start-up, read from the tail of its previous log (reference rhoai-3x
§5, start-up failure signatures). The first line that matches a signature wins: later lines are
usually the traceback's echoes of it.

The log is someone else's text: ANSI colour codes are stripped before matching, the quoted line
is made visible (`checks.text`) and bounded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from checks.text import one_line

MAX_LOG_CHARS = 64 * 1024  # what is kept of a log tail: the end, where the fatal line is
MAX_LINE_CHARS = 4096  # a longer line is matched on its start and end
QUOTE_CHARS = 360  # how much of the decisive line evidence quotes (V1's KV line is ~330)
# vLLM's logger prefix, "(EngineCore_0 pid=97) ERROR 12-01 18:41:58 [core.py:396] ", dropped
LOGGER_PREFIX = re.compile(
    r"^(?:\(\w+ pid=\d+\) )?(?:DEBUG|INFO|WARNING|ERROR|CRITICAL) \d\d-\d\d "
    r"\d\d:\d\d:\d\d(?:\.\d+)? \[[^\]]*\] "
)
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")


@dataclass(frozen=True)
class CrashCause:
    """One recognised start-up failure: what it means and what to change."""

    signature: str  # the table's id, e.g. "kv-cache"
    line: str  # the decisive log line, sanitised and bounded
    meaning: str
    fix: str
    max_model_len: int | None = None  # the value to set, when the log names one


@dataclass(frozen=True)
class Signature:
    id: str
    pattern: re.Pattern[str]
    meaning: Callable[[re.Match[str]], str]
    fix: Callable[[re.Match[str]], str]
    suggest: Callable[[re.Match[str]], int | None] = lambda _: None


def _group_int(name: str) -> Callable[[re.Match[str]], int | None]:
    def read(match: re.Match[str]) -> int | None:
        value = match.groupdict().get(name)
        return int(value) if value else None

    return read


def _kv_fix(match: re.Match[str]) -> str:
    fits = match.group("fits")
    return (
        f"Add --max-model-len={fits} to the model's arguments (spec.predictor.model.args), or "
        "give vLLM more GPU memory (--gpu-memory-utilization, a larger GPU, "
        "--tensor-parallel-size with more GPUs)."
    )


def _kv_meaning(match: re.Match[str]) -> str:
    wanted = match.groupdict().get("wanted") or "?"
    return (
        f"the KV cache cannot hold one request of the model's max seq len ({wanted} tokens); "
        f"it fits {match.group('fits')}"
    )


SIGNATURES: tuple[Signature, ...] = (
    Signature(
        "cuda-oom",
        re.compile(r"(torch\.OutOfMemoryError|torch\.cuda\.OutOfMemoryError): CUDA out of memory"),
        lambda _: "CUDA out of memory: the weights and activations do not fit the GPU",
        lambda _: (
            "Serve a smaller or quantized model, spread it over more GPUs "
            "(--tensor-parallel-size and a higher nvidia.com/gpu limit), or lower "
            "--max-model-len / --gpu-memory-utilization in spec.predictor.model.args."
        ),
    ),
    Signature(
        "kv-cache",
        re.compile(
            r"max seq len \((?P<wanted>\d+)\) is larger than the maximum number of tokens that "
            r"can be stored in KV cache \((?P<fits>\d+)\)"
        ),
        _kv_meaning,
        _kv_fix,
        _group_int("fits"),
    ),
    Signature(
        "kv-cache",
        re.compile(
            r"(?:max seq len \((?P<wanted>\d+)\).*)?KV cache is needed, which is larger than the "
            r"available KV cache memory.*?estimated maximum model length is (?P<fits>\d+)"
        ),
        _kv_meaning,
        _kv_fix,
        _group_int("fits"),
    ),
    Signature(
        "no-cache-blocks",
        re.compile(r"No available memory for the cache blocks"),
        lambda _: "the weights leave no GPU memory for the KV cache",
        lambda _: (
            "Raise --gpu-memory-utilization, use a larger GPU or more GPUs "
            "(--tensor-parallel-size), or a smaller/quantized model."
        ),
    ),
    Signature(
        "trust-remote-code",
        # transformers' refusal, not vLLM's own "args: Namespace(... trust_remote_code=False)"
        re.compile(
            r"requires you to execute the configuration file|contains custom code which must be "
            r"executed|(?:set the option|pass the argument) `?trust_remote_code=True"
        ),
        lambda _: "the model ships its own code, which vLLM runs only when told to",
        lambda _: (
            "Add --trust-remote-code to spec.predictor.model.args (after reviewing the "
            "model's code)."
        ),
    ),
    Signature(
        "offline-download",
        re.compile(
            r"We couldn't connect to 'https://huggingface\.co'|is not a local folder and is not "
            r"a valid model identifier|Can't load (?:the )?(?:tokenizer|config) for"
        ),
        lambda _: (
            "vLLM tried to download from Hugging Face: /mnt/models is not a complete model "
            "folder (config.json or tokenizer missing)"
        ),
        lambda _: (
            "Point the deployment's storage path at the folder holding config.json, the "
            "tokenizer and the weights, and keep --model=/mnt/models."
        ),
    ),
    Signature(
        "no-gpu",
        re.compile(r"No CUDA GPUs are available|Failed to infer device type"),
        lambda _: "the container sees no GPU",
        lambda _: (
            "Give the deployment a GPU: an nvidia.com/gpu limit on the model's resources, or a "
            "hardware profile with GPUs (opendatahub.io/hardware-profile-name)."
        ),
    ),
)


def clean(text: str) -> str:
    """The log's end, bounded, without colour codes."""
    return ANSI.sub("", text[-MAX_LOG_CHARS:])


def quote(line: str) -> str:
    """A log line as a summary may show it: visible, on one line, bounded."""
    shown = one_line(LOGGER_PREFIX.sub("", line.strip()))
    return shown if len(shown) <= QUOTE_CHARS else shown[: QUOTE_CHARS - 1] + "…"


def _bounded(line: str) -> str:
    """A line cut to its start and end: where exception names and their messages sit."""
    if len(line) <= MAX_LINE_CHARS:
        return line
    half = MAX_LINE_CHARS // 2
    return f"{line[:half]} … {line[-half:]}"


def match_log(text: str) -> CrashCause | None:
    """The first line of the log that names a known start-up failure, or None."""
    for raw_line in clean(text).splitlines():
        line = _bounded(raw_line)
        for sig in SIGNATURES:
            found = sig.pattern.search(line)
            if found:
                return CrashCause(
                    signature=sig.id,
                    line=quote(line),
                    meaning=sig.meaning(found),
                    fix=sig.fix(found),
                    max_model_len=sig.suggest(found),
                )
    return None


def last_line(text: str) -> str:
    """The log's last non-empty line, quoted: what to show when no signature matches."""
    lines = [x for x in clean(text).splitlines() if x.strip()]
    return quote(_bounded(lines[-1])) if lines else ""


# Words a fatal line carries whatever the program (Python tracebacks, Go, C++ servers, shells).
FATAL_WORDS = re.compile(
    r"error|exception|fatal|failed|failure|traceback|panic|refused|denied|no such|not found|"
    r"cannot|can't|unable|killed|abort",
    re.IGNORECASE,
)


def decisive_lines(text: str, limit: int = 3) -> list[str]:
    """The lines of a crashed instance's log that say why it died, quoted: the last `limit` lines
    carrying a fatal word (a traceback's last line is its exception), else the last two lines.
    Known signatures aside, this is what a person would read first."""
    lines = [_bounded(x) for x in clean(text).splitlines() if x.strip()]
    fatal = [x for x in lines if FATAL_WORDS.search(x) and not x.lstrip().startswith("File ")]
    chosen = fatal[-limit:] if fatal else lines[-2:]
    return [quote(x) for x in chosen]
