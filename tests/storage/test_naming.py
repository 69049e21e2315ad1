"""Names from hostile metadata stay inside the root and are valid on all three systems."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePosixPath

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogsync_gui.core.storage.naming import (
    library_relative_path,
    sanitize_component,
    sanitize_ext,
)

WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in "0123456789¹²³"),
                    *(f"LPT{i}" for i in "0123456789¹²³")}


def assert_portable(component: str) -> None:
    """Independent statement of the rules (not the implementation's own regexes)."""
    assert component not in ("", ".", "..")
    assert not any(ch in component for ch in '<>:"/\\|?*'), component
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in component), component
    assert not component.endswith((".", " ")), component  # Windows
    assert not component.startswith("."), component  # hidden on Unix
    assert component.split(".")[0].strip().upper() not in WINDOWS_RESERVED, component
    for form in ("NFC", "NFD"):
        assert len(unicodedata.normalize(form, component).encode("utf-8")) <= 255
    assert len(component.encode("utf-16-le")) // 2 <= 255


hostile_text = st.one_of(
    st.text(max_size=400),
    st.text(alphabet=st.sampled_from(list('./\\:*?"<>| \t\x00\x1fCONULPTaux1éè\u0301漢😀')),
            max_size=300),
    st.sampled_from(["..", ".", "CON", "nul.txt", "com1 ", "LPT9.mp3", " . ", "", "a" * 600,
                     "\u0065\u0301" * 200, "😀" * 100]),
)


@settings(max_examples=200, deadline=None)
@given(platform=hostile_text, artist=hostile_text, title=hostile_text, ext=hostile_text)
def test_target_path_stays_inside_root_and_is_portable(platform, artist,
                                                        title, ext):
    relative = library_relative_path(platform, artist, title, ext)
    assert isinstance(relative, PurePosixPath)
    assert len(relative.parts) == 3
    for part in relative.parts:
        assert_portable(part)
    assert_portable(relative.name + ".part")  # the engine's partial file fits too
    root = Path("/library/root")
    target = root.joinpath(*relative.parts)
    assert target.resolve().is_relative_to(root)
    assert re.fullmatch(r"[a-z0-9]{1,10}", relative.suffix[1:])


def test_examples_are_readable():
    assert str(library_relative_path("netease", "AC/DC", "Back in Black", "MP3")) == \
        "netease/AC_DC/Back in Black - AC_DC.mp3"
    assert sanitize_component("..") == "Unknown"
    assert sanitize_component("CON") == "_CON"
    assert sanitize_component("aux.flac") == "_aux.flac"
    assert sanitize_component("  trailing dots... ") == "trailing dots"
    assert sanitize_component("", "Unknown Artist") == "Unknown Artist"
    assert sanitize_ext(".FLAC ") == "flac"
    assert sanitize_ext("../../x") == "x"
    assert sanitize_ext(None) == "bin"


def test_long_multibyte_names_are_cut_at_character_boundaries():
    name = sanitize_component("漢" * 200)
    assert len(name.encode()) <= 255
    assert name == "漢" * 85
    accented = sanitize_component("e\u0301" * 200)  # NFC é; NFD doubles the bytes
    assert len(unicodedata.normalize("NFD", accented).encode()) <= 255
