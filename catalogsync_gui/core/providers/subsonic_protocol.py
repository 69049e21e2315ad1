"""The wire side of the Subsonic API: replies (JSON or XML), error codes, transport errors.

One place turns whatever a server sent into either the `subsonic-response` body (a dict
of the same shape whether it came as JSON or XML) or a `ProviderError` whose message a
user understands. Every call of the client and the download probe go through it.

Why XML: `f=json` is an extension (API 1.4); some servers and proxies answer XML anyway.
XML attributes become dict keys, repeated child elements become lists, `true`/`false`
become booleans, so the provider code reads both alike.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from catalogsync_gui.core.providers.base import ProviderError
from catalogsync_gui.core.providers.safexml import UnsafeXml, local_name, parse_untrusted

MAX_REPLY_BYTES = 8 * 1024 * 1024  # a playlist of thousands of songs is well under this

# Subsonic and OpenSubsonic error codes -> (our stable code, what the user reads)
ERRORS: dict[int, tuple[str, str]] = {
    0: ("server_error", "the server reported an error"),
    10: ("bad_request", "a required parameter is missing (client bug or unsupported server)"),
    20: ("client_too_old", "the server needs a newer client protocol version"),
    30: ("server_too_old", "the server is too old for this request; upgrade the server"),
    40: ("auth_failed", "wrong username or password"),
    41: ("token_auth_unsupported",
         "the server does not accept token authentication for this user (e.g. LDAP)"),
    42: ("auth_method_unsupported", "the server does not support this way of signing in"),
    43: ("auth_conflict", "the server received conflicting sign-in details (client bug)"),
    44: ("api_key_invalid", "the server rejected the API key (wrong or revoked)"),
    50: ("forbidden", "this user is not allowed to do that (check its roles on the server)"),
    60: ("trial_expired", "the server's trial period is over"),
    70: ("not_found", "not found on the server"),
}


# What servers say for these codes (Subsonic and OpenSubsonic docs): no news to the user.
_STOCK_MESSAGES = frozenset({
    "a generic error", "required parameter is missing", "wrong username or password",
    "token authentication not supported for ldap users",
    "token authentication not supported", "provided authentication mechanism not supported",
    "multiple conflicting authentication mechanisms provided", "invalid api key",
    "user is not authorized for the given operation", "the requested data was not found"})


@contextmanager
def transport_errors(base_url: str) -> Iterator[None]:
    """httpx failures as the transient ProviderErrors every caller reports the same way."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise ProviderError(f"Subsonic server {base_url} timed out", "timeout",
                            transient=True) from exc
    except httpx.HTTPError as exc:
        raise ProviderError(f"cannot reach Subsonic server {base_url}: {exc}", "network",
                            transient=True) from exc


def _scalar(value: str) -> Any:
    return {"true": True, "false": False}.get(value, value)


def xml_to_dict(elem: ET.Element) -> dict[str, Any]:
    """An element as the JSON form of the API spells it (see module docstring)."""
    out: dict[str, Any] = {key: _scalar(value) for key, value in elem.attrib.items()}
    groups: dict[str, list[dict[str, Any]]] = {}
    for child in elem:
        groups.setdefault(local_name(child.tag), []).append(xml_to_dict(child))
    for tag, items in groups.items():
        out[tag] = items[0] if len(items) == 1 else items
    text = (elem.text or "").strip()
    if text and not groups:
        out["value"] = text
    return out


def _kind(content_type: str, body: bytes) -> str:
    ctype = content_type.split(";")[0].strip().lower()
    if "json" in ctype:
        return "json"
    if "xml" in ctype or "html" in ctype:
        return "xml"
    head = body.lstrip()[:1]
    return {b"{": "json", b"<": "xml"}.get(head, "other")


def _not_subsonic(base_url: str, method: str, what: str) -> ProviderError:
    return ProviderError(f"{base_url} did not answer like a Subsonic server ({what} in reply "
                         f"to {method})", "not_subsonic")


def _from_json(body: bytes, base_url: str, method: str) -> dict[str, Any]:
    try:
        reply = json.loads(body)["subsonic-response"]
    except (ValueError, KeyError, TypeError):
        raise _not_subsonic(base_url, method, "JSON without subsonic-response") from None
    if not isinstance(reply, dict):
        raise _not_subsonic(base_url, method, "a malformed subsonic-response")
    return reply


def _from_xml(body: bytes, base_url: str, method: str) -> dict[str, Any]:
    try:
        root, _ = parse_untrusted(body)
    except UnsafeXml:
        raise _not_subsonic(base_url, method, "XML declaring a DTD (refused)") from None
    except ET.ParseError:
        raise _not_subsonic(base_url, method, "a reply that is neither JSON nor XML") from None
    name = local_name(root.tag)
    if name.lower() == "html":
        raise _not_subsonic(base_url, method, "a web page; is this the server's base URL?")
    if name != "subsonic-response":
        raise _not_subsonic(base_url, method, f"an XML <{name}> document")
    return xml_to_dict(root)


def parse_reply(response: httpx.Response, base_url: str, method: str) -> dict[str, Any]:
    """The `subsonic-response` of a read response, JSON or XML; ProviderError otherwise."""
    body = response.content[:MAX_REPLY_BYTES]
    kind = _kind(response.headers.get("content-type", ""), body)
    try:
        if kind == "json":
            return _from_json(body, base_url, method)
        if kind == "xml":
            return _from_xml(body, base_url, method)
        raise _not_subsonic(base_url, method,
                            f"Content-Type {response.headers.get('content-type') or 'none'}")
    except ProviderError:
        if response.status_code >= 400:
            raise ProviderError(f"Subsonic server {base_url} answered HTTP "
                                f"{response.status_code} for {method}",
                                f"http_{response.status_code}",
                                transient=response.status_code >= 500) from None
        raise


def reply_error(reply: dict[str, Any]) -> tuple[int | None, str]:
    """(code, server message) of a failed reply."""
    error = reply.get("error") or {}
    try:
        code = int(error.get("code"))
    except (TypeError, ValueError):
        code = None
    return code, str(error.get("message") or "")


def error_for(code: int | None, message: str, *, base_url: str, method: str,
              who: str) -> ProviderError:
    """A failed reply as the sentence the user reads; `who` names the credentials used."""
    ours, text = ERRORS.get(code if code is not None else 0, ERRORS[0])
    if code in (40, 41):
        text = f"{text} for {who}"
    stock = message.strip().rstrip(".").lower()
    detail = f" ({message})" if message and stock not in text.lower() and \
        stock not in _STOCK_MESSAGES else ""
    return ProviderError(f"Subsonic server {base_url}: {text}{detail} [error {code}, "
                         f"{method}]", ours, transient=code == 0 and "timeout" in message.lower())
