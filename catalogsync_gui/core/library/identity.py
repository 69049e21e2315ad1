"""Recording identity: when two spellings of a song name the same recording.

The same song reaches the catalog from several sources spelled differently (`Beyoncé` /
`Beyonce`, `feat.` / `ft.`, 周杰倫 / 周杰伦, `Title (2011 Remaster)`). Everything that asks
"is this the same recording?" (download planning, the library scan, fallback sources,
publishing to a server) goes through this one module, so the answer never differs between
them. Pure text work: no database, no I/O.

Normalization (`normalize_text`): Unicode NFKC (full-width and compatibility forms), then
traditional -> simplified Chinese (OpenCC), then accents and other scripts folded to ASCII
(anyascii; Chinese, Japanese kana and Korean stay as they are, because transliterating them
to pinyin or romaji would merge different words that sound alike), then case folding, then
punctuation and spacing folded to single spaces (apostrophes vanish: `Don't` == `Dont`).

A recording (`recording(...)`) is a normalized title plus a *set* of artists: featured
artists (`feat.`, `ft.`, `featuring`, `with`, `&`, `、`, `/`, `;`, `,`) are split out, also
from the title (`Song (feat. B)` by A == `Song` by `A, B`). Version words stay in the title
(`Song (Live)` is not `Song`), except remaster and radio-edit tags, which by default name
the same recording (`IdentityOptions`).

Deciding (`compare`): the same MusicBrainz recording id; else equal identity with
durations within 3 s when both are known; else a fuzzy score over `artists title` that is
acted on only when it is >= 95, the durations agree and the version words are the same -
below that it is a suggestion shown to the user, never acted on.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import opencc
from anyascii import anyascii
from rapidfuzz import fuzz

ALGORITHM = "1"  # bump when normalization changes: stored keys are then recomputed
DURATION_TOLERANCE_S = 3.0
FUZZY_ACCEPT = 95.0
VERSION_WORDS = frozenset({
    "live", "remix", "remixed", "mix", "acoustic", "instrumental", "demo", "unplugged",
    "karaoke", "acapella", "cappella", "orchestral", "extended", "dub", "rework", "cover",
    "reprise", "session", "sessions", "piano", "edit"})

MATCHED_BY_MBID = "MusicBrainz id"
MATCHED_BY_IDENTITY = "title and artist"


@dataclass(frozen=True)
class IdentityOptions:
    """Which title tags name the same recording; both default to "the same"."""

    remaster_is_same: bool = True
    radio_edit_is_same: bool = True

    @property
    def prefix(self) -> str:
        """Stored keys start with this, so keys made under other options never match."""
        return f"{ALGORITHM}{int(self.remaster_is_same)}{int(self.radio_edit_is_same)}:"


DEFAULT_OPTIONS = IdentityOptions()

# --- text ----------------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_APOSTROPHES = re.compile(r"['`\u00b4]")
_NON_WORD = re.compile(r"[\W_]+")
_converter_lock = threading.Lock()
_converter = None


def _native(ch: str) -> bool:
    """Scripts kept as they are: Han, kana, Hangul (transliteration would merge words)."""
    cp = ord(ch)
    return (0x3040 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF or 0x3400 <= cp <= 0x4DBF
            or 0x4E00 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF
            or 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F
            or cp == 0x3005)


def _to_simplified(text: str) -> str:
    """Traditional -> simplified Chinese with OpenCC's own tables (thread-safe use)."""
    global _converter
    with _converter_lock:
        if _converter is None:
            _converter = opencc.OpenCC("t2s")
        return _converter.convert(text)


@lru_cache(maxsize=4096)
def _transliterate(ch: str) -> str:
    folded = anyascii(ch)
    if folded:
        return folded
    return ch if ch.isalnum() else " "


def fold(text: str | None) -> str:
    """Width, Chinese script, accents and case folded; punctuation still in place."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text.casefold()
    if _HAN.search(text):
        text = _to_simplified(text)
    text = "".join(ch if ch.isascii() or _native(ch) else _transliterate(ch) for ch in text)
    return unicodedata.normalize("NFKC", text.casefold())


def clean(folded: str) -> str:
    """Punctuation and spacing of already folded text become single spaces."""
    return _NON_WORD.sub(" ", _APOSTROPHES.sub("", folded)).strip()


def normalize_text(text: str | None) -> str:
    """The comparable form of any name: `  Beyoncé ` -> `beyonce`, `周杰倫` -> `周杰伦`."""
    return clean(fold(text))


# --- artists -------------------------------------------------------------------------

_ARTIST_SPLIT = re.compile(
    r"\s*(?:[,;/&]|\bfeat\b\.?|\bft\b\.?|\bfeaturing\b|\bwith\b)\s*")


def _artist_parts(folded: str) -> set[str]:
    parts = {name for name in (clean(p) for p in _ARTIST_SPLIT.split(folded)) if name}
    if parts:
        return parts
    # An artist named only by a joining word ("FT", "With") is still an artist: without
    # this the song would have no identity at all and every version of it would look alike.
    whole = clean(folded)
    return {whole} if whole else set()


@lru_cache(maxsize=65536)  # a catalog names the same artists over and over
def split_artists(text: str | None) -> frozenset[str]:
    """`A feat. B & C` -> {a, b, c}: the order and the joining word never matter."""
    return frozenset(_artist_parts(fold(text)))


# --- titles --------------------------------------------------------------------------

_BRACKETED = re.compile(r"[(\[{<]([^()\[\]{}<>]*)[)\]}>]")
_DASH = re.compile(r"\s+-\s+")
# After any non-word character, not only a space: punctuation is folded to spaces later,
# and a "ft" that only appears then would make normalizing twice differ from once.
_FEAT_IN_TITLE = re.compile(r"[\W_](?:feat|ft|featuring)\b\.?\s*(.*)$")
_FEAT_IN_ORIGINAL = re.compile(_FEAT_IN_TITLE.pattern, re.IGNORECASE)
_FEAT_QUALIFIER = re.compile(r"^[\W_]*(?:feat|ft|featuring|with)\b\.?\s*(.*)$")
_REMASTER = re.compile(
    r"\b(?:\d{2,4}\s+)?(?:digital(?:ly)?\s+)?re-?master(?:ed)?"
    r"(?:\s+(?:version|edition))?(?:\s+\d{2,4})?(?:\s+(?:version|edition))?\b")
_RADIO_EDIT = re.compile(r"\bradio\s+(?:edit|version)\b")


@dataclass(frozen=True)
class TitleParts:
    """A title split into what identifies the recording and the featured artists."""

    title: str
    featured: frozenset[str] = field(default_factory=frozenset)


def _drop_same_tags(qualifier: str, options: IdentityOptions) -> str:
    if options.remaster_is_same:
        qualifier = _REMASTER.sub(" ", qualifier)
    if options.radio_edit_is_same:
        qualifier = _RADIO_EDIT.sub(" ", qualifier)
    return qualifier


def parse_title(title: str | None, options: IdentityOptions = DEFAULT_OPTIONS) -> TitleParts:
    """`Song (feat. B) [Live] - 2011 Remaster` -> title `song live`, featured {b}.

    Normalizing a normalized title changes nothing: folding punctuation to spaces can
    reveal a tag the first pass could not see (`0:FT` -> `0 ft`), so parse again until
    the title is stable (each pass only removes words, so this ends at once).
    """
    parts = _parse_title_once(title, options)
    for _ in range(8):
        again = _parse_title_once(parts.title, options)
        if again.title == parts.title:
            break
        parts = TitleParts(again.title, parts.featured | again.featured)
    return parts


def _parse_title_once(title: str | None, options: IdentityOptions) -> TitleParts:
    whole = text = fold(title)
    qualifiers: list[str] = []
    while True:  # innermost brackets first, so nesting needs no parser
        found = _BRACKETED.findall(text)
        if not found:
            break
        qualifiers += found
        text = _BRACKETED.sub(" ", text)
    base, *dashed = _DASH.split(text)
    qualifiers += dashed
    featured: set[str] = set()
    feat = _FEAT_IN_TITLE.search(base)
    if feat:
        featured |= _artist_parts(feat.group(1))
        base = base[:feat.start()]
    versions: list[str] = []
    for qualifier in qualifiers:
        feat = _FEAT_QUALIFIER.match(qualifier)
        if feat:
            featured |= _artist_parts(feat.group(1))
            continue
        kept = clean(_drop_same_tags(qualifier.replace("&", " and "), options))
        if kept:
            versions.append(kept)
    words = [clean(base.replace("&", " and ")), *sorted(versions)]
    normalized = " ".join(w for w in words if w)
    if not normalized:  # a title that is only a tag, e.g. "(2011 Remaster)": keep it all
        normalized = clean(whole.replace("&", " and "))
    return TitleParts(normalized, frozenset(featured))


def normalize_title(title: str | None, options: IdentityOptions = DEFAULT_OPTIONS) -> str:
    return parse_title(title, options).title


def search_title(title: str | None) -> str:
    """The title without bracketed or dashed tags, in its own spelling: what to type into
    a server's search box (`Halo (2011 Remaster)` -> `Halo`)."""
    text = unicodedata.normalize("NFKC", title or "")
    while _BRACKETED.search(text):
        text = _BRACKETED.sub(" ", text)
    text = _DASH.split(text)[0]
    feat = _FEAT_IN_ORIGINAL.search(text)
    if feat:
        text = text[:feat.start()]
    return " ".join(text.split()) or " ".join((title or "").split())


_FIRST_ARTIST = re.compile(r"\s*(?:[,;/&\u3001]|\b(?:feat|ft)\b\.?|\bfeaturing\b|\bwith\b)\s*",
                           re.IGNORECASE)


def search_artist(artists: str | None) -> str:
    """The first artist, in its own spelling: what to add to a search text
    (`Jay Chou feat. Gary` -> `Jay Chou`)."""
    text = unicodedata.normalize("NFKC", artists or "").strip()
    return next((part for part in _FIRST_ARTIST.split(text) if part.strip()), "").strip()


# --- recordings ----------------------------------------------------------------------


@dataclass(frozen=True)
class Recording:
    """What identifies one recording, whatever source spelled it."""

    title: str
    artists: frozenset[str]
    duration_s: float | None = None
    mbid: str | None = None
    options: IdentityOptions = DEFAULT_OPTIONS

    @property
    def key(self) -> str | None:
        """A stable string; equal keys mean equal identity. None without title or artist:
        `Intro` by nobody would otherwise match every `Intro`."""
        if not self.title or not self.artists:
            return None
        return f"{self.options.prefix}{'&'.join(sorted(self.artists))}|{self.title}"

    @property
    def text(self) -> str:
        """`artists title` for fuzzy scoring."""
        return " ".join([*sorted(self.artists), self.title])

    @property
    def versions(self) -> frozenset[str]:
        return frozenset(self.title.split()) & VERSION_WORDS


def clean_mbid(value: object) -> str | None:
    """A MusicBrainz id in one spelling (lowercase, no braces), or None."""
    text = str(value or "").strip().strip("{}").lower()
    return text if re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                                text) else None


def recording(title: str | None, artists: str | Iterable[str] | None = "",
              duration_s: float | None = None, mbid: str | None = None,
              options: IdentityOptions = DEFAULT_OPTIONS) -> Recording:
    """The identity of a song as any source spells it.

    `artists` is the source's artist text (`A feat. B`, `A、B`) or a list of names.
    """
    parts = parse_title(title, options)
    if isinstance(artists, str) or artists is None:
        names = set(split_artists(artists))
    else:
        names = set().union(*(split_artists(a) for a in artists)) if artists else set()
    duration = float(duration_s) if duration_s and duration_s > 0 else None
    return Recording(parts.title, frozenset(names | parts.featured), duration,
                     clean_mbid(mbid), options)


def durations_agree(a: float | None, b: float | None,
                    tolerance: float = DURATION_TOLERANCE_S) -> bool | None:
    """True/False when both are known, None when either is not."""
    if a is None or b is None:
        return None
    return abs(a - b) <= tolerance


@dataclass(frozen=True)
class Verdict:
    """How two recordings compare: `accepted` means act on it without asking."""

    accepted: bool
    matched_by: str
    score: float

    @property
    def reason(self) -> str:
        return self.matched_by if self.accepted else f"suggestion (score {self.score:.0f})"


NO_MATCH = Verdict(False, "", 0.0)


def fuzzy_score(a: Recording, b: Recording) -> float:
    """0..100 over normalized `artists title`, word order ignored."""
    return float(fuzz.token_sort_ratio(a.text, b.text))


def compare(a: Recording, b: Recording) -> Verdict:
    """The match order: MusicBrainz id, then identity + durations, then fuzzy."""
    if a.mbid and b.mbid:
        if a.mbid == b.mbid:
            return Verdict(True, MATCHED_BY_MBID, 100.0)
        # MusicBrainz itself says these are two recordings: at most a suggestion.
        return Verdict(False, "", min(fuzzy_score(a, b), FUZZY_ACCEPT - 1))
    agree = durations_agree(a.duration_s, b.duration_s)
    if a.key is not None and a.key == b.key and agree is not False:
        return Verdict(True, MATCHED_BY_IDENTITY, 100.0)
    score = fuzzy_score(a, b)
    if score >= FUZZY_ACCEPT and agree is True and a.versions == b.versions \
            and a.artists and b.artists:
        return Verdict(True, f"similar title and artist (score {score:.0f})", score)
    return Verdict(False, "", score)


def best_match(target: Recording,
               candidates: Sequence[Recording]) -> tuple[int | None, list[tuple[int, Verdict]]]:
    """The index of the best acceptable candidate (or None) and every candidate's verdict,
    best first, so a caller can say what it considered."""
    def gap(index: int) -> float:  # among equals, the closest duration (unknown: last)
        agree = candidates[index].duration_s
        return abs(agree - target.duration_s) if agree and target.duration_s else 1e9

    verdicts = sorted(((i, compare(target, c)) for i, c in enumerate(candidates)),
                      key=lambda iv: (not iv[1].accepted, -iv[1].score, gap(iv[0]), iv[0]))
    chosen = verdicts[0][0] if verdicts and verdicts[0][1].accepted else None
    return chosen, verdicts
