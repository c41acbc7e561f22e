"""The two S3 XML documents the doctor reads: a ListObjectsV2 page and an error document.

Parsed with the standard library's expat (no external entities; expat bounds entity
expansion); names are matched without their namespace, since S3 look-alikes differ on it."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus
from xml.etree import ElementTree


def _root(body: bytes) -> ElementTree.Element | None:
    try:
        return ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return None


def _name(element: ElementTree.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _children(element: ElementTree.Element) -> dict[str, str]:
    return {_name(child): (child.text or "") for child in element}


def error_fields(body: bytes) -> tuple[str, str, str]:
    """(Code, Message, Region) of an <Error> document; empty strings when it is not one."""
    root = _root(body) if body.lstrip().startswith(b"<") else None
    if root is None or _name(root) != "Error":
        return "", "", ""
    fields = _children(root)
    return (
        fields.get("Code", "").strip(),
        fields.get("Message", "").strip(),
        fields.get("Region", "").strip(),
    )


def listing_page(body: bytes) -> dict[str, Any] | None:
    """contents [(key, size)], prefixes, truncated, token of a <ListBucketResult>; None when
    the body is not one."""
    root = _root(body)
    if root is None or _name(root) != "ListBucketResult":
        return None
    fields = _children(root)
    decode = unquote_plus if fields.get("EncodingType", "").lower() == "url" else str
    contents: list[tuple[str, int]] = []
    prefixes: list[str] = []
    for child in root:
        name = _name(child)
        if name == "Contents":
            entry = _children(child)
            size = entry.get("Size", "0").strip()
            contents.append((decode(entry.get("Key", "")), int(size) if size.isdigit() else 0))
        elif name == "CommonPrefixes":
            prefixes.append(decode(_children(child).get("Prefix", "")))
    return {
        "contents": contents,
        "prefixes": prefixes,
        "truncated": fields.get("IsTruncated", "").strip().lower() == "true",
        "token": fields.get("NextContinuationToken", ""),
    }
