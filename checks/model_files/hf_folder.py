"""Is an S3 prefix a Hugging Face model folder vLLM can start from (`--model=/mnt/models`)?

vLLM reads `config.json`, the weights (`*.safetensors` or `pytorch_model*.bin`; sharded weights
need their `*.index.json`) and a tokenizer from the top of the folder. A folder missing any of
them makes vLLM reach for huggingface.co, which fails offline with a message that does not say
which file was missing; this names it before the pod is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SHARD = re.compile(r"^(?P<stem>.+)-(?P<index>\d{5})-of-(?P<total>\d{5})\.(?P<ext>safetensors|bin)$")
TOKENIZER_FILES = ("tokenizer.json", "tokenizer.model", "vocab.json", "vocab.txt")


@dataclass(frozen=True)
class HfFolder:
    """What the folder holds and lacks, by file name relative to the prefix."""

    files: tuple[str, ...]
    config: bool
    weights: tuple[str, ...]
    tokenizer: tuple[str, ...]
    missing: tuple[str, ...]  # one phrase per missing part, for a person
    nested_config: str  # "sub/config.json" when config.json sits one folder too deep

    @property
    def complete(self) -> bool:
        return not self.missing


def _weights(top: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """The weight files and what is missing of a sharded set."""
    weights = [
        f
        for f in top
        if f.endswith(".safetensors") or (f.startswith("pytorch_model") and f.endswith(".bin"))
    ]
    missing: list[str] = []
    shards: dict[tuple[str, str], tuple[int, set[int]]] = {}
    for name in weights:
        found = SHARD.match(name)
        if found:
            key = (found.group("stem"), found.group("ext"))
            total, seen = shards.get(key, (int(found.group("total")), set()))
            seen.add(int(found.group("index")))
            shards[key] = (total, seen)
    for (stem, ext), (total, seen) in sorted(shards.items()):
        index = f"{stem}.{ext}.index.json"
        if index not in top:
            missing.append(f"{index} (the index of the {total} sharded {ext} files)")
        absent = sorted(set(range(1, total + 1)) - seen)
        if absent:
            names = ", ".join(f"{stem}-{i:05d}-of-{total:05d}.{ext}" for i in absent[:3])
            missing.append(f"{len(absent)} of {total} weight shards ({names})")
    return tuple(weights), missing


def inspect_folder(keys: list[str] | tuple[str, ...], prefix: str) -> HfFolder:
    """Judge the objects under `prefix` as the folder /mnt/models will be."""
    base = prefix.strip("/")
    relative = [k[len(base) :].lstrip("/") if base and k.startswith(base) else k for k in keys]
    relative = [r for r in relative if r and not r.endswith("/")]
    top = [r for r in relative if "/" not in r]
    config = "config.json" in top
    weights, missing = _weights(top)
    tokenizer = tuple(f for f in top if f in TOKENIZER_FILES)
    nested = next((r for r in relative if r.endswith("/config.json")), "") if not config else ""
    lacks = []
    if not config:
        lacks.append("config.json")
    if not weights:
        lacks.append("weights (*.safetensors or pytorch_model*.bin)")
    lacks += missing
    if not tokenizer:
        lacks.append("a tokenizer (tokenizer.json or tokenizer.model)")
    return HfFolder(
        files=tuple(relative),
        config=config,
        weights=weights,
        tokenizer=tokenizer,
        missing=tuple(lacks),
        nested_config=nested,
    )
