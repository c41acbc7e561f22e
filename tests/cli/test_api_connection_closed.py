"""An API server (or the load balancer before it) that closes a connection as a GET goes out
on it: kubectl's net/http sends the GET again, once, and so does rhoai-doctor, so `get` answers
instead of failing on a kept-alive connection let go. A server that never answers is still one
line. Against a loopback API server (tests.helpers.api_stub), through `rhoai-doctor get`."""

from __future__ import annotations

import pytest

from tests.cli.test_kubeconfig_fields import NAME, api_cluster, get, kubeconfig, ok, one_line_error
from tests.helpers.api_stub import ApiStub
from tests.helpers.faults import Tls, make_tls


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    return make_tls(tmp_path_factory.mktemp("api-tls"), NAME)


def test_a_get_whose_connection_closed_unanswered_is_sent_again_once(tls, tmp_path) -> None:
    with ApiStub(tls, tokens={"t"}, unanswered=1) as api:
        done = get(kubeconfig(tmp_path, api_cluster(api, tls), {"token": "t"}), "projects")
        ok(done)
        paths = [seen.path for seen in api.seen]
    assert len(paths) == 2 and paths[0] == paths[1], paths  # the first unanswered, then again


def test_a_server_that_never_answers_is_one_line(tls, tmp_path) -> None:
    with ApiStub(tls, tokens={"t"}, unanswered=1000) as api:
        done = get(kubeconfig(tmp_path, api_cluster(api, tls), {"token": "t"}), "projects")
        line = one_line_error(done)
        paths = [seen.path for seen in api.seen]
    assert "the server closed the connection without answering" in line, line
    assert len(paths) == 2, paths  # sent twice, not more
