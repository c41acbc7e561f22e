"""Deployments of a project share an S3 listing and a model's signature only when their S3
requests are the same ones: the same settings and the same keys. A shared answer never stands
in for a request another connection's keys (or another bucket, region or trust) would make."""

from __future__ import annotations

from dataclasses import replace

import pytest

from checks.storage.s3_target import S3Target

BASE = S3Target(
    "https://minio.example.test",
    "models",
    "us-east-1",
    "AKIDEXAMPLE",
    "wJalrXUtnFEMI/K7MDENG",
    session_token="",
    ca_configmap="odh-kserve-custom-ca-bundle",
    ca_configmap_pem="-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----\n",
)


def test_the_same_settings_and_keys_are_the_same_requests() -> None:
    assert replace(BASE).same_requests() == BASE.same_requests()


@pytest.mark.parametrize(
    "change",
    [
        {"secret_access_key": "another-secret"},
        {"access_key_id": "AKIDOTHER"},
        {"session_token": "a-session"},
        {"bucket": "models-other"},
        {"region": ""},
        {"endpoint": "https://s3.other.test"},
        {"anonymous": True},
        {"verify": False},
        {"virtual": True},
        {"ca_configmap_pem": "-----BEGIN CERTIFICATE-----\nB\n-----END CERTIFICATE-----\n"},
    ],
)
def test_any_other_setting_or_key_is_asked_on_its_own(change: dict) -> None:
    assert replace(BASE, **change).same_requests() != BASE.same_requests()


def test_the_name_never_holds_a_secret() -> None:
    name = replace(BASE, session_token="a-session-token-value").same_requests()
    for secret in ("wJalrXUtnFEMI/K7MDENG", "a-session-token-value", "BEGIN CERTIFICATE"):
        assert secret not in name
