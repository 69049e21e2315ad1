"""What a WebDAV folder holds: one `PROPFIND Depth: 1` answers for every file in it.

Checking uploads one `PROPFIND Depth: 0` per file costs a round trip per song; a library
keeps many songs per artist folder, so asking per folder is what makes reconciling a
large library affordable (benchmarks/upload_reconcile.py measures both side by side).
"""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from catalogsync_gui.core.transfer.errors import TransferError

DAV = "{DAV:}"
PROPFIND_SIZES = (b'<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop>'
                  b"<getcontentlength/><resourcetype/></prop></propfind>")


@dataclass(frozen=True)
class DavEntry:
    path: str  # decoded URL path, without a trailing slash
    size: int | None
    is_collection: bool

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def name_key(name: str) -> str:
    """Servers may answer in NFD (macOS-backed shares) what we sent in NFC."""
    return unicodedata.normalize("NFC", name)


def href_path(href: str) -> str:
    """The decoded path of an href (absolute URL or absolute path), no trailing slash."""
    return unquote(urlsplit(href.strip()).path).rstrip("/")


def parse_multistatus(body: bytes, source: str) -> list[DavEntry]:
    """Entries of a 207 Multi-Status answer; only properties reported with 200 count."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise TransferError("bad_response", f"{source} answered PROPFIND with something "
                            f"that is not WebDAV XML ({exc})", transient=True) from exc
    entries = []
    for response in root.iter(f"{DAV}response"):
        href = response.findtext(f"{DAV}href")
        if not href:
            continue
        size, collection = None, False
        for propstat in response.iter(f"{DAV}propstat"):
            status = (propstat.findtext(f"{DAV}status") or "").split()
            if len(status) < 2 or status[1] != "200":
                continue
            prop = propstat.find(f"{DAV}prop")
            if prop is None:
                continue
            length = (prop.findtext(f"{DAV}getcontentlength") or "").strip()
            if length.isdigit():
                size = int(length)
            if prop.find(f"{DAV}resourcetype/{DAV}collection") is not None:
                collection = True
        entries.append(DavEntry(href_path(href), size, collection))
    return entries


def folder_files(entries: list[DavEntry], folder_url: str) -> dict[str, int | None]:
    """{file name: size} of the folder's direct children (the folder itself left out)."""
    own = href_path(folder_url)
    return {name_key(e.name): e.size for e in entries
            if not e.is_collection and e.path != own and e.name}
