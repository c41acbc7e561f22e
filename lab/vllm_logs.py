"""What a vLLM server prints before it dies at start-up, per fault: the log the previous instance
of `kserve-container` left (vLLM 0.8-era V1 engine wording)."""

from __future__ import annotations

STAMP = "12-01 18:41"
V1_KV_CACHE = (
    "ValueError: To serve at least one request with the models's max seq len (32768), "
    "(4.00 GiB KV cache is needed, which is larger than the available KV cache memory "
    "(1.12 GiB). Based on the available memory, the estimated maximum model length is 9168. "
    "Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing "
    "the engine."
)
CUDA_OOM = (
    "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 270.00 MiB. GPU 0 has a "
    "total capacity of 22.05 GiB of which 101.12 MiB is free. Including non-PyTorch memory, "
    "this process has 21.94 GiB memory in use. Of the allocated memory 21.71 GiB is allocated "
    "by PyTorch, and 17.23 MiB is reserved by PyTorch but unallocated. If reserved but "
    "unallocated memory is large try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True "
    "to avoid fragmentation.  See documentation for Memory Management  "
    "(https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)"
)


def _info(where: str, text: str, second: int = 2) -> str:
    return f"INFO {STAMP}:{second:02d} [{where}] {text}"


def _start(name: str, max_len: int) -> list[str]:
    return [
        _info("__init__.py:239", "Automatically detected platform cuda.", 1),
        _info("api_server.py:1043", "vLLM API server version 0.8.5"),
        _info(
            "api_server.py:1044",
            f"args: Namespace(host=None, port=8080, model='/mnt/models', "
            f"served_model_name=['{name}'], max_model_len={max_len}, "
            "gpu_memory_utilization=0.9, tensor_parallel_size=1, trust_remote_code=False)",
        ),
        _info(
            "config.py:717",
            "This model supports multiple tasks: {'generate', 'embed', 'classify', 'score', "
            "'reward'}. Defaulting to 'generate'.",
            9,
        ),
        _info("config.py:2003", "Chunked prefill is enabled with max_num_batched_tokens=2048.", 9),
        _info(
            "core.py:58",
            f"Initializing a V1 LLM engine (v0.8.5) with config: model='/mnt/models', "
            f"tokenizer='/mnt/models', max_seq_len={max_len}, dtype=torch.bfloat16, "
            f"served_model_name={name}",
            12,
        ),
        _info(
            "parallel_state.py:1004",
            "rank 0 in world size 1 is assigned as DP rank 0, PP rank 0, TP rank 0",
            14,
        ),
        _info("cuda.py:221", "Using Flash Attention backend on V1 engine.", 14),
        _info("gpu_model_runner.py:1329", "Starting to load model /mnt/models...", 15),
    ]


def _engine_traceback(where: str, frames: list[str], last: str) -> list[str]:
    head = f"ERROR {STAMP}:58 [core.py:396]"
    lines = [f"{head} EngineCore failed to start.", f"{head} Traceback (most recent call last):"]
    lines += [f"{head} {frame}" for frame in frames]
    lines.append(f"{head} {last}")
    lines += [
        "Process EngineCore_0:",
        "Traceback (most recent call last):",
        '  File "/usr/lib64/python3.12/multiprocessing/process.py", line 314, in _bootstrap',
        "    self.run()",
        f'  File "/opt/vllm/lib64/python3.12/site-packages/vllm/{where}", in run',
        last,
        "Traceback (most recent call last):",
        '  File "<frozen runpy>", line 198, in _run_module_as_main',
        '  File "/opt/vllm/lib64/python3.12/site-packages/vllm/entrypoints/openai/'
        'api_server.py", line 1121, in <module>',
        "    uvloop.run(run_server(args))",
        '  File "/opt/vllm/lib64/python3.12/site-packages/vllm/v1/engine/core_client.py", '
        "line 380, in __init__",
        "    self._wait_for_engine_startup()",
        "RuntimeError: Engine core initialization failed. See root cause above.",
    ]
    return lines


def kv_cache_log(name: str) -> list[str]:
    """Weights load; the KV cache left cannot hold one 32768-token request (V1 engine)."""
    return [
        *_start(name, 32768),
        "Loading safetensors checkpoint shards:   0% Completed | 0/4 [00:00<?, ?it/s]",
        "Loading safetensors checkpoint shards: 100% Completed | 4/4 [00:38<00:00,  9.6s/it]",
        _info("loader.py:458", "Loading weights took 38.52 seconds", 54),
        _info("gpu_model_runner.py:1347", "Model loading took 14.9889 GiB and 39.1 seconds", 54),
        _info("gpu_worker.py:222", "Available KV cache memory: 1.12 GiB", 58),
        *_engine_traceback(
            "v1/engine/core.py",
            [
                '  File "/opt/vllm/lib64/python3.12/site-packages/vllm/v1/engine/core.py", '
                "line 387, in run_engine_core",
                "    engine_core = EngineCoreProc(*args, **kwargs)",
                '  File "/opt/vllm/lib64/python3.12/site-packages/vllm/v1/core/kv_cache_utils.py"'
                ", line 556, in check_enough_kv_cache_memory",
                "    raise ValueError(",
            ],
            V1_KV_CACHE,
        ),
    ]


def cuda_oom_log(name: str) -> list[str]:
    """A 13B bf16 model on one 24 GB GPU: out of memory while loading the weights."""
    return [
        *_start(name, 4096),
        "Loading safetensors checkpoint shards:   0% Completed | 0/3 [00:00<?, ?it/s]",
        "Loading safetensors checkpoint shards:  67% Completed | 2/3 [00:31<00:15, 15.4s/it]",
        *_engine_traceback(
            "v1/engine/core.py",
            [
                '  File "/opt/vllm/lib64/python3.12/site-packages/vllm/model_executor/'
                'model_loader/loader.py", line 455, in load_model',
                "    loaded_weights = model.load_weights(",
                '  File "/opt/vllm/lib64/python3.12/site-packages/torch/nn/modules/module.py", '
                "line 1355, in to",
                "    return t.to(device, dtype if t.is_floating_point() else None)",
            ],
            CUDA_OOM,
        ),
    ]
