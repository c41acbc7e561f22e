"""The lab's vLLM look-alike through the official `openai` client, as a user's script would call
an RHOAI generative deployment: route, TLS, token, and vLLM's answers and errors."""

from __future__ import annotations

import time

import httpx
import openai
import pytest

from tests.helpers import lab_tls, secret_value

HOST = "granite-llm-project.apps.rhoai-lab.test"


class ToRouter(httpx.HTTPTransport):
    """Every request goes to the lab's router, keeping the route's Host header and SNI (what
    `curl --connect-to` does)."""

    def __init__(self, router: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.host, _, port = router.rpartition(":")
        self.port = int(port)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.extensions = {**request.extensions, "sni_hostname": request.url.host}
        request.url = request.url.copy_with(host=self.host, port=self.port)
        return super().handle_request(request)


@pytest.fixture(scope="module")
def token(admin_client) -> str:
    return secret_value(admin_client, "llm-project", "default-name-granite-sa", "token")


@pytest.fixture(scope="module")
def llm(lab, token):
    http = httpx.Client(transport=ToRouter(lab["router"], verify=lab_tls(lab)), timeout=20)
    with openai.OpenAI(
        base_url=f"https://{HOST}/v1", api_key=token, http_client=http, max_retries=0
    ) as client:
        yield client


def test_models_list_names_the_deployment(llm) -> None:
    models = llm.models.list().data
    assert [m.id for m in models] == ["granite"]
    assert models[0].owned_by == "vllm"
    assert models[0].model_extra["max_model_len"] == 4096


def test_chat_completion_answers_with_usage(llm) -> None:
    answer = llm.chat.completions.create(
        model="granite", messages=[{"role": "user", "content": "Hello"}], max_tokens=12
    )
    assert answer.choices[0].message.role == "assistant"
    assert answer.choices[0].message.content.startswith("Hello! I am granite.")
    assert answer.choices[0].finish_reason == "length"
    assert answer.usage.completion_tokens == 12
    assert answer.usage.prompt_tokens > 0
    again = llm.chat.completions.create(
        model="granite", messages=[{"role": "user", "content": "Hello"}], max_tokens=12
    )
    assert again.choices[0].message.content == answer.choices[0].message.content


def test_chat_stream_arrives_in_chunks_with_usage_last(llm) -> None:
    started = time.monotonic()
    stream = llm.chat.completions.create(
        model="granite",
        messages=[{"role": "user", "content": "Tell me about the lab"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    arrivals, pieces, usage = [], [], None
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            arrivals.append(time.monotonic() - started)
            pieces.append(chunk.choices[0].delta.content)
        if chunk.usage is not None:
            usage = chunk.usage
    assert len(pieces) == 24
    assert usage is not None and usage.completion_tokens == 24
    assert arrivals[-1] - arrivals[0] > 0.05  # tokens were paced, not sent in one write
    assert "".join(pieces).startswith("Hello! I am granite.")


def test_completion_answers_text(llm) -> None:
    answer = llm.completions.create(model="granite", prompt="Once upon a time", max_tokens=5)
    assert answer.choices[0].text == "Hello! I am granite"
    assert answer.usage.completion_tokens == 5


def test_unknown_model_is_not_found(llm) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        llm.chat.completions.create(model="llama", messages=[{"role": "user", "content": "Hi"}])
    assert caught.value.status_code == 404
    assert caught.value.body["message"] == "The model `llama` does not exist."
    assert caught.value.body["type"] == "NotFoundError"


def test_context_overflow_is_a_bad_request(llm) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        llm.chat.completions.create(
            model="granite", messages=[{"role": "user", "content": "Hi"}], max_tokens=5000
        )
    assert caught.value.body["message"].startswith(
        "This model's maximum context length is 4096 tokens."
    )
    assert caught.value.body["code"] == 400


def test_without_token_the_proxy_refuses(lab) -> None:
    http = httpx.Client(transport=ToRouter(lab["router"], verify=lab_tls(lab)), timeout=20)
    with (
        openai.OpenAI(
            base_url=f"https://{HOST}/v1", api_key="not-a-token", http_client=http, max_retries=0
        ) as client,
        pytest.raises(openai.AuthenticationError),
    ):
        client.models.list()


def test_health_and_version(lab, token) -> None:
    with httpx.Client(transport=ToRouter(lab["router"], verify=lab_tls(lab))) as http:
        headers = {"Authorization": f"Bearer {token}"}
        assert http.get(f"https://{HOST}/health", headers=headers).status_code == 200
        assert "version" in http.get(f"https://{HOST}/version", headers=headers).json()
