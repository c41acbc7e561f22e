"""What a model route's answer means: a 200 is only the model answering when it is JSON."""

from __future__ import annotations

from checks.endpoints.explain import explain
from checks.endpoints.probe import HttpAnswer
from checks.endpoints.send import Sent


def sent(status: int, who: str, body: object, detail: str = "") -> Sent:
    answer = HttpAnswer(status, who, detail)
    return Sent(status, 0.01, answer, explain(answer, "iris"), body)


def test_a_json_200_is_the_model_answering() -> None:
    assert sent(200, "model server", {"outputs": []}, "JSON answer").ok


def test_an_sso_login_page_with_200_is_named_and_not_ok() -> None:
    page = sent(200, "a web page", "<html>Sign in</html>", "an HTML page")
    assert not page.ok
    assert "a login page or proxy (SSO) is in front of the route" in page.explanation


def test_a_cut_json_body_with_200_is_not_ok() -> None:
    cut = sent(200, "unknown", '{"outputs": [', '{"outputs": [')
    assert not cut.ok and "not JSON" in cut.explanation
