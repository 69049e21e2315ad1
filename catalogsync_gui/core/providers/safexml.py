"""Parsing XML that came from a file or a server we do not control.

A document type declaration or entity definition is refused before parsing: no playlist
or Subsonic reply needs one, and they are how XML bombs and external-entity reads work.
Bytes go to the parser as bytes so that the document's own `encoding=` declaration and
byte-order mark decide how it is decoded.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
# `&` not starting a reference: old VLC versions wrote query strings unescaped.
_BARE_AMPERSAND = re.compile(rb"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);)")


class UnsafeXml(ValueError):
    """The document declares a DTD or entities."""


def local_name(tag: str) -> str:
    """`{namespace}name` -> `name`: XSPF and Subsonic replies come with or without one."""
    return tag.rsplit("}", 1)[-1]


def _without_encoding_declaration(text: str) -> bytes:
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1).encode("utf-8")


def parse_untrusted(data: bytes | str) -> tuple[ET.Element, bool]:
    """(root element, whether bare `&` had to be escaped first).

    Raises `UnsafeXml` for a DTD or entities and `ET.ParseError` for a broken document.
    A str (already decoded by the caller) is parsed without its encoding declaration.
    """
    raw = _without_encoding_declaration(data) if isinstance(data, str) else data
    if _DECLARATION.search(raw):
        raise UnsafeXml("declares a DTD or entities")
    try:
        return ET.fromstring(raw), False
    except ET.ParseError:
        repaired = _BARE_AMPERSAND.sub(b"&amp;", raw)
        if repaired == raw:
            raise
        return ET.fromstring(repaired), True
