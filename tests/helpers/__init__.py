"""Helpers every test layer shares, importable from one place: `from tests.helpers import X`.

Test modules never import each other; what two of them need lives here, by topic.
"""

from tests.helpers.cluster import (  # noqa: F401
    DELIBERATE_MUTATION,
    api_client,
    lab_tls,
    secret_value,
    token_client,
)
from tests.helpers.console import (  # noqa: F401
    PINNED_SERVER,
    SCREENSHOTS,
    SIZE,
    console,
    cut_from,
    drive,
    finished,
    frozen,
    loaded,
    main_screen,
    make_app,
    open_diagnosis,
    pin_identity,
    quick,
    rows,
    screen_lines,
    screenshot,
    sweep_processes,
    swept,
    text_of,
    until,
)
from tests.helpers.onnx_models import (  # noqa: F401
    BACKEND_DATA,
    V2,
    MiB,
    _length_header,
    _message,
    _varint,
    backend_models,
    expected_signature,
    forest_model,
    if_model,
    iris,
    kmeans_model,
    observed,
    onnx_datatype,
    onnx_nodes,
    onnx_type,
    text,
    two_input_model,
)
from tests.helpers.recorded import (  # noqa: F401
    FIXTURES,
    first,
    judge,
    listing,
    recorded_raw,
    recorded_snapshot,
)
