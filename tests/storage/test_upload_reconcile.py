"""What an upload target still holds: WebDAV listings (real WsgiDAV, and the answer shapes
other servers send) and local folders."""

from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath

import httpx
import pytest

from catalogsync_gui.core.storage.reconcile import gone_from_target
from catalogsync_gui.core.storage.upload import LocalFolderBackend
from catalogsync_gui.core.storage.webdav import WebDAVBackend
from catalogsync_gui.core.storage.webdav_listing import folder_files, parse_multistatus
from catalogsync_gui.core.transfer.errors import TransferError

# Shapes seen from Nextcloud/SabreDAV (d: prefix, a 404 propstat for the folder's length),
# Apache mod_dav (lp1: prefix bound to DAV:) and IIS (absolute URLs in href).
NEXTCLOUD = b"""<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">
 <d:response><d:href>/remote.php/dav/files/me/Music/AC_DC/</d:href>
  <d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop>
   <d:status>HTTP/1.1 200 OK</d:status></d:propstat>
  <d:propstat><d:prop><d:getcontentlength/></d:prop>
   <d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>
 <d:response><d:href>/remote.php/dav/files/me/Music/AC_DC/Back%20in%20Black.mp3</d:href>
  <d:propstat><d:prop><d:getcontentlength>4096</d:getcontentlength><d:resourcetype/>
  </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
 <d:response><d:href>/remote.php/dav/files/me/Music/AC_DC/Live/</d:href>
  <d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop>
   <d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
</d:multistatus>"""
APACHE = b"""<?xml version="1.0" encoding="utf-8"?>
<D:multistatus xmlns:D="DAV:" xmlns:ns0="DAV:">
<D:response xmlns:lp1="DAV:"><D:href>/dav/A/</D:href><D:propstat><D:prop>
<lp1:resourcetype><D:collection/></lp1:resourcetype></D:prop>
<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>
<D:response xmlns:lp1="DAV:"><D:href>/dav/A/Caf%C3%A9.flac</D:href><D:propstat><D:prop>
<lp1:resourcetype/><lp1:getcontentlength>77</lp1:getcontentlength></D:prop>
<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>
</D:multistatus>"""
IIS = b"""<?xml version="1.0"?><a:multistatus xmlns:a="DAV:">
<a:response><a:href>http://nas.example/dav/A/x%2By.mp3</a:href><a:propstat>
<a:status>HTTP/1.1 200 OK</a:status><a:prop><a:getcontentlength>5</a:getcontentlength>
</a:prop></a:propstat></a:response></a:multistatus>"""


def test_listing_shapes_of_common_servers():
    assert folder_files(parse_multistatus(NEXTCLOUD, "nc"),
                        "https://nc/remote.php/dav/files/me/Music/AC_DC/") == {
        "Back in Black.mp3": 4096}
    assert folder_files(parse_multistatus(APACHE, "apache"), "http://h/dav/A/") == {
        "Café.flac": 77}
    assert folder_files(parse_multistatus(IIS, "iis"), "http://nas.example/dav/A/") == {
        "x+y.mp3": 5}


def test_names_answered_in_nfd_match_the_nfc_we_asked_for():
    """A share backed by macOS answers decomposed names for the folder we created."""
    href = "/dav/" + "/".join(unicodedata.normalize("NFD", part).replace(" ", "%20")
                              for part in ("Ärtist", "Über Song.mp3"))
    body = (b'<multistatus xmlns="DAV:"><response><href>' + href.encode()
            + b"</href><propstat><prop><getcontentlength>3</getcontentlength></prop>"
            b"<status>HTTP/1.1 200 OK</status></propstat></response></multistatus>")
    assert folder_files(parse_multistatus(body, "mac"), "http://h/dav/%C3%84rtist/") == {
        "Über Song.mp3": 3}


def test_a_listing_that_is_not_xml_is_a_clear_error():
    with pytest.raises(TransferError) as info:
        parse_multistatus(b"<html>login</html", "http://h/")
    assert info.value.code == "bad_response"
    assert "not WebDAV XML" in str(info.value)


def _counting_client(auth=None) -> tuple[httpx.Client, list[tuple[str, str]]]:
    seen: list[tuple[str, str]] = []
    client = httpx.Client(auth=auth, timeout=10, event_hooks={"request": [
        lambda request: seen.append((request.method, request.headers.get("Depth", "")))]})
    return client, seen


@pytest.mark.network_service
def test_webdav_sizes_with_one_propfind_per_folder(wsgidav_factory, tmp_path):
    server = wsgidav_factory(users={"alice": "pw"})
    layout = {f"p/Artist {a}/Song {n}.mp3": b"x" * (100 + n) for a in range(2)
              for n in range(3)}
    for relative, body in layout.items():
        path = server.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    (server.root / "p" / "Ärtist").mkdir()
    (server.root / "p" / "Ärtist" / "Über.mp3").write_bytes(b"u" * 9)
    client, seen = _counting_client(("alice", "pw"))
    backend = WebDAVBackend("dav", server.url, auth=("alice", "pw"), client=client)
    asked = [PurePosixPath(r) for r in layout] + [PurePosixPath("p/Ärtist/Über.mp3"),
                                                  PurePosixPath("p/Gone/x.mp3"),
                                                  PurePosixPath("p/Artist 0/missing.mp3")]

    sizes = backend.remote_sizes(asked)

    assert sizes == {PurePosixPath(r): len(b) for r, b in layout.items()} | {
        PurePosixPath("p/Ärtist/Über.mp3"): 9}
    assert seen == [("PROPFIND", "1")] * 4  # Artist 0, Artist 1, Ärtist, Gone


@pytest.mark.network_service
def test_webdav_check_with_a_wrong_password_says_so(wsgidav_factory):
    server = wsgidav_factory(users={"alice": "pw"})
    backend = WebDAVBackend("dav", server.url, auth=("alice", "wrong"))
    with pytest.raises(TransferError) as info:
        backend.remote_sizes([PurePosixPath("p/a.mp3")])
    assert info.value.code == "auth_failed"


def test_gone_from_a_local_target_by_stat(tmp_path):
    target = tmp_path / "usb"
    (target / "p/A").mkdir(parents=True)
    (target / "p/A/kept.mp3").write_bytes(b"k" * 10)
    (target / "p/A/short.mp3").write_bytes(b"s")
    (target / "p/A/dir.mp3").mkdir()
    expected = {PurePosixPath("p/A/kept.mp3"): 10, PurePosixPath("p/A/short.mp3"): 10,
                PurePosixPath("p/A/gone.mp3"): 10, PurePosixPath("p/A/dir.mp3"): 10,
                PurePosixPath("p/B/gone.mp3"): 10}
    assert gone_from_target(LocalFolderBackend("usb", target), expected) == set(expected) - {
        PurePosixPath("p/A/kept.mp3")}


def test_an_unmounted_local_target_is_an_error_not_all_gone(tmp_path):
    with pytest.raises(TransferError) as info:
        gone_from_target(LocalFolderBackend("usb", tmp_path / "usb"),
                         {PurePosixPath("p/a.mp3"): 1})
    assert info.value.code == "target_unavailable"
