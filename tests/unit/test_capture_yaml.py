"""The capture's YAML reader builds what yaml.safe_load builds, for any document without an
alias, whatever it has read before (it keeps the value of each untagged scalar text it met)."""

from __future__ import annotations

import math

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.capture.safe_yaml import YamlBudget, load_yaml

# texts the safe loader types differently by style: plain, they are ints, floats, bools, null,
# dates; quoted, they stay strings
TYPED_TEXTS = (
    "0", "012", "0o17", "0x1F", "1_000", "-3", "1e3", ".5", ".inf", "-.Inf", ".nan", "true",
    "True", "yes", "off", "~", "null", "", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
    "2026-12-07 01:02:03", "image:tag", "a b", "1.2.3",
)  # fmt: skip


def _same(ours: object, theirs: object) -> bool:
    """Equal, with NaN equal to NaN (a float the safe loader builds from .nan)."""
    if isinstance(ours, float) and isinstance(theirs, float) and math.isnan(theirs):
        return math.isnan(ours)
    if isinstance(ours, list) and isinstance(theirs, list):
        return len(ours) == len(theirs) and all(map(_same, ours, theirs))
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return ours.keys() == theirs.keys() and all(_same(ours[k], theirs[k]) for k in ours)
    return type(ours) is type(theirs) and ours == theirs


def test_each_text_keeps_its_type_in_every_style_however_often_it_was_read() -> None:
    document = "items:\n" + "".join(
        f"- plain: {text or '~'}\n  single: '{text}'\n  double: \"{text}\"\n"
        f"  block: |-\n    {text or 'x'}\n"
        for text in TYPED_TEXTS
    )
    expected = yaml.safe_load(document)
    for _ in range(3):  # the second and third read come from what the first one kept
        assert _same(load_yaml(document, YamlBudget()), expected)


scalars = st.one_of(
    st.sampled_from(TYPED_TEXTS), st.text(alphabet="0123456789.-:abeoxTtnufl_ ", max_size=12)
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(scalars, st.sampled_from(["plain", "single", "double"])), max_size=30))
def test_any_list_of_scalars_reads_as_safe_load_reads_it(pairs) -> None:
    lines = []
    for text, style in pairs:
        if style == "single":
            lines.append("- '" + text.replace("'", "''") + "'")
        elif style == "double":
            lines.append('- "' + text + '"')
        else:
            lines.append(f"- {text}")
    document = "\n".join(lines) + "\n"
    try:
        expected = yaml.safe_load(document)
    except yaml.YAMLError:
        return  # a plain text YAML itself refuses (": " inside): not this test's subject
    assert _same(load_yaml(document, YamlBudget()), expected)
    assert _same(load_yaml(document, YamlBudget()), expected)
