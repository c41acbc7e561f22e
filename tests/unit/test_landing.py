"""What lands in the model directory, rule by rule (controllers.md §4-5), and what is loaded."""

from __future__ import annotations

from checks.storage.landing import Initializer, Platform, land

KSERVE_OVMS = Platform("kserve", "ovms")
MESH = Platform("modelmesh", "ovms", model_id="iris__isvc-0123456789")


def objects(*keys: str, size: int = 10) -> list[tuple[str, int]]:
    return [(k, size) for k in sorted(keys)]


def targets(landing) -> dict[str, str]:
    return {f.key: f.target for f in landing.landed}


def test_kserve_prefix_has_no_slash_boundary_and_ovms_serves_its_version_folder() -> None:
    found = land(
        objects("models/iris/1/model.onnx", "models/iris-v2/1/model.onnx"),
        "models/iris",
        KSERVE_OVMS,
    )
    assert targets(found) == {
        "models/iris/1/model.onnx": "1/model.onnx",
        "models/iris-v2/1/model.onnx": "-v2/1/model.onnx",
    }
    assert found.onnx == "models/iris/1/model.onnx" and found.version == "1"
    assert any('no "/" boundary' in n for n in found.notes)


def test_the_initializer_rules_by_release() -> None:
    keys = objects("models/iris.txt", "models/iris/iris_model.onnx")
    flat = land(keys, "models/iris", Platform("kserve", "other", Initializer.FLATTEN))
    assert targets(flat) == {
        "models/iris.txt": "iris.txt",
        "models/iris/iris_model.onnx": "iris_model.onnx",
    }
    escaped = land(keys, "models/iris", Platform("kserve", "other", Initializer.ESCAPED))
    assert targets(escaped) == {
        "models/iris.txt": ".txt",
        "models/iris/iris_model.onnx": "iris_model.onnx",
    }


def test_markers_zero_byte_objects_exact_keys_and_archives() -> None:
    listed = [("m/", 0), ("m/1/", 0), ("m/1/empty", 0), ("m/1/model.onnx", 9)]
    old = land(listed, "m", Platform("kserve", "ovms", Initializer.ESCAPED))
    assert set(targets(old)) == {"m/1/empty", "m/1/model.onnx"}
    new = land(listed, "m", Platform("kserve", "ovms", Initializer.REMOVEPREFIX))
    assert set(targets(new)) == {"m/1/model.onnx"}
    assert ("m/1/empty", "0 bytes (skipped from odh-v3.4)") in new.skipped
    exact = land(objects("m/model.onnx", "m/model.onnx.bak"), "m/model.onnx", KSERVE_OVMS)
    assert targets(exact) == {"m/model.onnx": "model.onnx"}
    archive = land(objects("m/model.tar.gz"), "m/", KSERVE_OVMS)
    assert archive.unpacked == "m/model.tar.gz" and "unpacked" in archive.notes[-1]
    nothing = land([("m/", 0)], "m", KSERVE_OVMS)
    assert nothing.problem == "Failed to fetch model. No model found in m."


def test_the_modelmesh_puller_keeps_only_the_path_or_keys_under_it() -> None:
    keys = objects("iris/rf_iris.onnx", "iris-v2/model.onnx", "model.onnx")
    found = land([k for k in keys if k[0].startswith("iris")], "iris", MESH)
    assert targets(found) == {"iris/rf_iris.onnx": "iris/rf_iris.onnx"}
    assert found.onnx == "iris/rf_iris.onnx"
    for path in ("", "/"):
        empty = land(keys if path == "" else [], path, MESH)
        assert empty.landed == () and empty.onnx == ""
        assert empty.problem.endswith(
            "stat /models/iris__isvc-0123456789/_model: no such file or directory"
        )


def test_versions_several_models_and_vllm() -> None:
    two = land(objects("m/1/model.onnx", "m/2/model.onnx", "m/10/README"), "m", KSERVE_OVMS)
    assert two.version == "10" and two.onnx == ""  # 10 holds no model: OVMS serves 10 all the same
    both = land(objects("m/1/a.onnx", "m/1/b.onnx"), "m", KSERVE_OVMS)
    assert both.ambiguous and both.onnx == ""
    none = land(objects("m/model.onnx"), "m", KSERVE_OVMS)
    assert none.problem.startswith("No version found for model in path: /mnt/models")
    llm = land(
        objects("llm/config.json", "llm/model.safetensors"), "llm", Platform("kserve", "vllm")
    )
    assert {f.target for f in llm.loaded} == {"config.json", "model.safetensors"}


def test_the_rules_follow_the_initializer_image() -> None:
    from checks.storage.landing import initializer_rules

    assert (
        initializer_rules("quay.io/modh/kserve-storage-initializer:rhoai-3.4")
        is Initializer.REMOVEPREFIX
    )
    assert (
        initializer_rules("quay.io/opendatahub/kserve-storage-initializer:odh-v3.5")
        is Initializer.REMOVEPREFIX
    )
    for image in (
        "quay.io/modh/kserve-storage-initializer:rhoai-2.25",
        "x/y:v0.15",
        "localhost:5000/init",
        "",
    ):
        assert initializer_rules(image) is Initializer.ESCAPED


def test_external_data_must_land_beside_the_model() -> None:
    from checks.model_files.onnx import external_problems, read_signature
    from lab.models_model_dir import build_external

    signature = read_signature(build_external()[0])
    keys = objects("m/1/model.onnx", "m/1/weights.bin", size=48)
    whole = land(keys, "m", KSERVE_OVMS)
    sizes = {f.key: f.size for f in whole.landed}
    assert external_problems(signature, "m/1/model.onnx", sizes) == []
    assert external_problems(signature, "m/1/model.onnx", {**sizes, "m/1/weights.bin": 40}) == [
        "external data file m/1/weights.bin is 40 bytes, but weight W needs bytes 0..48"
    ]
    exact = land(keys, "m/1/model.onnx", KSERVE_OVMS)  # the path names the .onnx alone
    sizes = {f.key: f.size for f in exact.landed}
    assert external_problems(signature, "m/1/model.onnx", sizes, frozenset(k for k, _ in keys)) == [
        "external data file m/1/weights.bin is in the bucket but not downloaded with the model "
        "(weight W)"
    ]
