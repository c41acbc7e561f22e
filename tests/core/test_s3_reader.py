"""The S3 reader (boto3, configured as the storage initializer configures it) against real
servers: moto's S3 with signature checking on (the lab's LabS3, auth enabled), the same over
TLS with a private CA, and a recorder that shows what was signed and sent."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from checks.storage.s3 import Storage
from checks.storage.s3_errors import StorageError
from checks.storage.s3_target import S3Target
from checks.transport.addressing import Override
from lab.s3 import REGION, LabS3, S3Credentials
from lab.s3_backend import put
from tests.helpers.faults import Tls, make_tls
from tests.helpers.recorder import Recorder
from tests.helpers.tls_server import server_context

# Keys with "." and ".." path segments: each holds its own bytes, so reading one through a
# normalised path (another object, or another bucket) shows.
DOT_KEYS = {
    "iris/./1/model.onnx": b"dot-segment",
    "iris/../iris/1/model.onnx": b"dot-dot-segment",
    "../models-other/x.onnx": b"climbs-out",
    "iris/1/model.onnx": b"plain",
}
PUBLIC_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": ["arn:aws:s3:::public", "arn:aws:s3:::public/*"],
        }
    ],
}


def _seed(s3: LabS3) -> S3Credentials:
    admin = s3.client("s3")
    for bucket in ("models", "models-other", "public", "many"):
        admin.create_bucket(Bucket=bucket)
    for key, body in DOT_KEYS.items():
        admin.put_object(Bucket="models", Key=key, Body=body)
    admin.put_object(Bucket="models-other", Key="x.onnx", Body=b"the other bucket")
    admin.put_object(Bucket="public", Key="iris/1/model.onnx", Body=b"public")
    admin.put_bucket_policy(Bucket="public", Policy=json.dumps(PUBLIC_POLICY))
    # one page more than S3's 1,000, with the model sorting last; straight into moto's backend,
    # as the lab puts its own 1,201 files (1,201 PUTs over HTTP cost this setup ~12 s)
    for i in range(1201):
        put("many", f"big/{i:05}.bin", b"")
    admin.put_object(Bucket="many", Key="big/zz-model.onnx", Body=b"m")
    reader = s3.create_user("reader")
    s3.public_buckets.add("public")
    s3.anonymous_reader = reader
    return reader


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """moto over HTTP and over TLS (a private CA; moto's state is per process, so both serve
    the same buckets), seeded, then with signatures checked."""
    from moto import settings

    tls = make_tls(tmp_path_factory.mktemp("s3-ca"), "127.0.0.1")
    plain, private = LabS3(), LabS3(tls=server_context(tls.cert_file, tls.key_file))
    private.verify = tls.ca_file
    before = settings.INITIAL_NO_AUTH_ACTION_COUNT
    try:
        reader = _seed(plain)
        private.public_buckets, private.anonymous_reader = plain.public_buckets, reader
        LabS3.enable_auth()
        yield {
            "plain": plain,
            "reader": reader,
            "tls": private,
            "tls_reader": reader,
            "ca": tls,
        }
    finally:
        settings.INITIAL_NO_AUTH_ACTION_COUNT = before
        plain.stop()
        private.stop()


def storage(s3: LabS3, creds: S3Credentials, bucket: str = "models", **fields) -> Storage:
    return Storage(
        S3Target(
            s3.endpoint,
            bucket,
            REGION,
            creds.access_key_id,
            creds.secret_access_key,
            timeout=10,
            **fields,
        )
    )


def test_keys_with_dot_segments_are_read_as_their_own_objects(servers: dict) -> None:
    """Signed as boto3 signs them and sent as written: no SignatureDoesNotMatch, and `..` never
    reaches another bucket."""
    s3 = storage(servers["plain"], servers["reader"])
    assert sorted(s3.list("").keys) == sorted(DOT_KEYS)
    for key, body in DOT_KEYS.items():
        assert s3.size(key) == len(body)
        assert s3.read_range(key, 0, len(body) - 1) == body


def test_a_wrong_secret_is_named_as_the_secret(servers: dict) -> None:
    reader = servers["reader"]
    wrong = S3Credentials(reader.access_key_id, reader.secret_access_key[:-6] + "WR0NG1")
    with pytest.raises(StorageError) as raised:
        storage(servers["plain"], wrong).check_bucket()
    assert raised.value.kind == "bad-credentials"
    assert str(raised.value) == (
        "S3 rejected the credentials (SignatureDoesNotMatch): the secret access key does not "
        "match the key id"
    )


def test_a_missing_key_is_no_such_key_not_a_missing_bucket(servers: dict) -> None:
    with pytest.raises(StorageError) as raised:
        storage(servers["plain"], servers["reader"]).size("iris/2/model.onnx")
    assert str(raised.value) == 'no such key "iris/2/model.onnx" in bucket "models" (NoSuchKey)'


def test_a_listing_pages_through_more_than_a_thousand_keys(servers: dict) -> None:
    found = storage(servers["plain"], servers["reader"], "many").list("big/")
    assert len(found.objects) == 1202 and not found.truncated
    assert found.keys[-1] == "big/zz-model.onnx"


def test_an_anonymous_connection_reads_a_public_bucket_unsigned(servers: dict) -> None:
    nobody = S3Credentials("", "")
    public = storage(servers["plain"], nobody, "public", anonymous=True)
    assert public.list("iris/").keys == ["iris/1/model.onnx"]
    assert public.read_range("iris/1/model.onnx", 0, 5) == b"public"
    assert "unsigned (anonymous)" in public.settings()[0]
    with pytest.raises(StorageError) as raised:
        storage(servers["plain"], nobody, "models", anonymous=True).check_bucket()
    assert raised.value.kind == "access-denied"
    assert "requests unsigned: anonymous is on" in str(raised.value)


LISTING = (
    b'<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>models</Name>'
    b"<Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys>"
    b"<IsTruncated>false</IsTruncated></ListBucketResult>"
)


@pytest.mark.parametrize(
    ("region", "token", "scope"),
    [
        ("", "", "//s3/aws4_request"),  # AWS_DEFAULT_REGION="" as storage-config writes it
        ("eu-west-1", "", "/eu-west-1/s3/aws4_request"),
        ("us-east-1", "FwoGZXIvYXdz", "/us-east-1/s3/aws4_request"),
    ],
)
def test_the_region_and_session_token_are_signed_as_the_pod_signs_them(
    region: str, token: str, scope: str
) -> None:
    """The connection Secret's keys as boto3 reads them: an empty region stays empty (not
    us-east-1), and AWS_SESSION_TOKEN goes out as X-Amz-Security-Token."""
    from checks.resources import DataConnection

    with Recorder(status=200, headers={"Content-Type": "application/xml"}, body=LISTING) as rec:
        values = {
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_S3_ENDPOINT": f"http://{rec.address}",
            "AWS_DEFAULT_REGION": region,
            "AWS_S3_BUCKET": "models",
            **({"AWS_SESSION_TOKEN": token} if token else {}),
        }
        raw = {
            "kind": "Secret",
            "metadata": {"name": "models", "namespace": "p"},
            "data": {k: base64.b64encode(v.encode()).decode() for k, v in values.items()},
        }
        target = S3Target.from_connection(DataConnection.parse(raw))
        Storage(replace(target, timeout=10)).check_bucket()
    sent = rec.seen[0].headers
    assert scope in sent["Authorization"]
    assert sent.get("X-Amz-Security-Token", "") == token


def _pod_target(servers: dict, **fields) -> S3Target:
    reader = servers["tls_reader"]
    return S3Target(
        servers["tls"].endpoint,
        "models",
        REGION,
        reader.access_key_id,
        reader.secret_access_key,
        timeout=10,
        like_pod=True,
        source="storage-config entry models",
        **fields,
    )


def test_a_private_ca_in_the_clusters_configmap_is_trusted_as_the_pod_trusts_it(
    servers: dict,
) -> None:
    """The ConfigMap's cabundle.crt (with certifi) verifies the endpoint; this machine's store,
    which lacks the CA, is said to disagree."""
    ca: Tls = servers["ca"]
    s3 = Storage(
        _pod_target(
            servers,
            ca_configmap="odh-kserve-custom-ca-bundle",
            ca_configmap_pem=Path(ca.ca_file).read_text(),
        )
    )
    s3.check_bucket()
    assert s3.read_range("iris/./1/model.onnx", 0, 10) == b"dot-segment"
    assert (
        "TLS verified with the ConfigMap odh-kserve-custom-ca-bundle (cabundle.crt)"
        in (s3.settings()[1])
    )
    assert s3.local_disagrees().startswith("this machine's trust store would refuse")


def test_a_ca_only_this_machine_trusts_fails_as_the_pod_would(servers: dict) -> None:
    """--s3-ca names the CA here, but the pod has no ConfigMap: it verifies with certifi and
    fails, and the line says the local CA would have accepted it."""
    s3 = Storage(_pod_target(servers, ca_bundle=servers["ca"].ca_file))
    with pytest.raises(StorageError) as raised:
        s3.check_bucket()
    said = str(raised.value)
    assert raised.value.kind == "tls"
    assert "failed with certifi, boto3's default CA bundle, as the pod does" in said
    assert "--s3-ca accepts it, but the pod does not use it" in said
    assert "odh-kserve-custom-ca-bundle" in said


def test_the_ca_loaded_once_still_checks_each_endpoints_name(servers: dict) -> None:
    """The CA bundle is loaded once for every client of the process; the certificate's name
    is still checked per endpoint: the same server and CA, reached as another host name (a
    --resolve to it), is refused, and reached as its own name, read."""
    ca: Tls = servers["ca"]
    pem = {
        "ca_configmap": "odh-kserve-custom-ca-bundle",
        "ca_configmap_pem": Path(ca.ca_file).read_text(),
    }
    port = int(servers["tls"].endpoint.rsplit(":", 1)[1])
    elsewhere = replace(
        _pod_target(servers, **pem),
        endpoint=f"https://s3.elsewhere.test:{port}",
        overrides=(Override("s3.elsewhere.test", port, "127.0.0.1", None),),
    )
    with pytest.raises(StorageError) as raised:
        Storage(elsewhere).check_bucket()
    assert raised.value.kind == "tls", str(raised.value)
    assert "s3.elsewhere.test" in str(raised.value)
    Storage(_pod_target(servers, **pem)).check_bucket()


def _connection(values: dict[str, str], annotations: dict[str, str] | None = None):
    """A connection Secret as the dashboard writes it, its data keys base64-encoded."""
    from checks.resources import DataConnection

    raw = {
        "kind": "Secret",
        "metadata": {"name": "models", "namespace": "p", "annotations": annotations or {}},
        "data": {k: base64.b64encode(v.encode()).decode() for k, v in values.items()},
    }
    return DataConnection.parse(raw)


@pytest.mark.parametrize("verify_ssl", ["0", "false"])
def test_verify_ssl_off_reads_a_bucket_whose_ca_the_pod_lacks(servers: dict, verify_ssl) -> None:
    """S3_VERIFY_SSL=0 turns verification off in the pod's boto3: the bucket behind a private CA
    nobody gave is read, and the evidence says verification is off; left on, the same
    connection fails on TLS as the pod would."""
    from checks.storage.s3_config import from_service_account

    reader = servers["tls_reader"]
    values = {
        "AWS_ACCESS_KEY_ID": reader.access_key_id,
        "AWS_SECRET_ACCESS_KEY": reader.secret_access_key,
        "AWS_S3_ENDPOINT": servers["tls"].endpoint,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_S3_BUCKET": "models",
    }
    off = from_service_account(_connection({**values, "S3_VERIFY_SSL": verify_ssl}), "", None)
    s3 = Storage(replace(off, timeout=10))
    s3.check_bucket()
    assert s3.read_range("iris/1/model.onnx", 0, 4) == b"plain"
    assert "TLS not verified: verify_ssl is off" in " ".join(s3.settings())
    on = from_service_account(_connection(values), "", None)
    with pytest.raises(StorageError) as raised:
        Storage(replace(on, timeout=10)).check_bucket()
    assert raised.value.kind == "tls", str(raised.value)


@pytest.mark.parametrize(
    ("annotations", "host", "path"),
    [
        ({"serving.kserve.io/s3-usevirtualbucket": "true"}, "models.s3.lab.test", "/?list-type"),
        ({}, "s3.lab.test", "/models?list-type"),
    ],
)
def test_virtual_hosted_addressing_where_the_initializer_uses_it(annotations, host, path) -> None:
    """S3_USER_VIRTUAL_BUCKET (here as the connection's annotation) makes the pod's boto3 ask
    bucket.host; without it, the bucket is the path's first segment."""
    from checks.storage.s3_config import from_service_account

    with Recorder(status=200, headers={"Content-Type": "application/xml"}, body=LISTING) as rec:
        values = {
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_S3_ENDPOINT": f"http://s3.lab.test:{rec.port}",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_S3_BUCKET": "models",
        }
        target = from_service_account(_connection(values, annotations), "", None)
        to_recorder = (Override("*.lab.test", rec.port, "127.0.0.1", None),)
        s3 = Storage(replace(target, timeout=10, overrides=to_recorder))
        s3.check_bucket()
    sent = rec.seen[0]
    assert sent.headers["Host"] == f"{host}:{rec.port}" and sent.path.startswith(path), sent
    addressing = "virtual-hosted" if annotations else "path-style"
    assert f"{addressing} addressing" in " ".join(s3.settings())


class _RegionBound(BaseHTTPRequestHandler):
    """An S3 whose bucket lives in eu-west-1: a request signed for another region gets S3's
    400 AuthorizationHeaderMalformed naming the right one; one signed for it, the listing."""

    scopes: list[str] = []

    def do_GET(self) -> None:
        auth = self.headers.get("Authorization", "")
        scope = auth.split("Credential=", 1)[-1].split("/")[2] if "Credential=" in auth else "?"
        self.scopes.append(scope)
        if scope == "eu-west-1":
            status, body = 200, LISTING
        else:
            status, body = (
                400,
                (
                    b'<?xml version="1.0" encoding="UTF-8"?><Error>'
                    b"<Code>AuthorizationHeaderMalformed</Code><Message>the region '"
                    + scope.encode()
                    + b"' is wrong; expecting 'eu-west-1'</Message><Region>eu-west-1</Region>"
                    b"<RequestId>1</RequestId></Error>"
                ),
            )
        self.send_response(status)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize("region", ["us-east-1", ""])
def test_a_wrong_region_is_recovered_as_the_pods_boto3_recovers(region: str) -> None:
    """The bucket's region differs from the connection's: boto3 reads the right one from S3's
    answer and signs again, so the pod loads the model; so does the check."""
    _RegionBound.scopes = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RegionBound)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}"
        target = S3Target(endpoint, "models", region, "AKIDEXAMPLE", "secret", timeout=10)
        Storage(replace(target, like_pod=True)).check_bucket()
    finally:
        server.shutdown()
        server.server_close()
    assert _RegionBound.scopes == [region, "eu-west-1"]
