"""A Hugging Face model folder as `save_pretrained` leaves it, small: the config and tokenizer of a
Llama-style model and a safetensors file whose header is real and whose tensor is tiny.

The lab's vLLM pods never load it; it is in the bucket so that what a check lists is what a
user would have uploaded.
"""

from __future__ import annotations

import json
import struct


def _config(name: str, max_positions: int) -> dict:
    return {
        "_name_or_path": name,
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "bos_token_id": 128000,
        "eos_token_id": [128001, 128008, 128009],
        "head_dim": 128,
        "hidden_act": "silu",
        "hidden_size": 4096,
        "intermediate_size": 14336,
        "max_position_embeddings": max_positions,
        "model_type": "llama",
        "num_attention_heads": 32,
        "num_hidden_layers": 32,
        "num_key_value_heads": 8,
        "rms_norm_eps": 1e-05,
        "rope_theta": 500000.0,
        "tie_word_embeddings": False,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.46.1",
        "vocab_size": 128256,
    }


def _tokenizer() -> dict:
    vocab = {"<|begin_of_text|>": 0, "<|end_of_text|>": 1, "hello": 2, "Ġworld": 3}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": 0, "content": "<|begin_of_text|>", "special": True},
            {"id": 1, "content": "<|end_of_text|>", "special": True},
        ],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False},
        "model": {"type": "BPE", "vocab": vocab, "merges": ["Ġ w", "o r"]},
    }


def _safetensors() -> bytes:
    """One bf16 tensor of 4 values, with the header format safetensors readers parse."""
    data = b"\x00\x3f" * 4
    header = {
        "__metadata__": {"format": "pt"},
        "model.norm.weight": {"dtype": "BF16", "shape": [4], "data_offsets": [0, len(data)]},
    }
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + data


def hf_folder(name: str, max_positions: int = 131072) -> dict[str, bytes]:
    """file name -> content of a complete model folder."""
    dumps = lambda doc: (json.dumps(doc, indent=2) + "\n").encode()  # noqa: E731
    return {
        "config.json": dumps(_config(name, max_positions)),
        "generation_config.json": dumps(
            {"bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009], "do_sample": True}
        ),
        "model.safetensors": _safetensors(),
        "special_tokens_map.json": dumps({"bos_token": "<|begin_of_text|>"}),
        "tokenizer.json": dumps(_tokenizer()),
        "tokenizer_config.json": dumps(
            {"model_max_length": max_positions, "tokenizer_class": "PreTrainedTokenizerFast"}
        ),
    }
