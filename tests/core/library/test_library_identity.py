"""Recording identity: one normalization, property-tested, and the match order."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from catalogsync_gui.core.library.identity import (
    MATCHED_BY_IDENTITY,
    MATCHED_BY_MBID,
    VERSION_WORDS,
    IdentityOptions,
    best_match,
    compare,
    normalize_text,
    normalize_title,
    recording,
    search_title,
    split_artists,
)

LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 éèêëàâäôöûüçñøåæß"
latin_words = st.text(alphabet=LATIN, min_size=1, max_size=30).filter(
    lambda s: normalize_text(s) != "")
MBID = "b1a9c0e9-d987-4042-ae91-78d6a3267d69"


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(c))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
@example("周杰倫 ﬁ Ⅻ ǅ")
@example("(2011 Remaster) - Live")
@example("0:FT")  # punctuation folded to a space must not reveal a "ft" on the second pass
@example("x:ft:y")
@example("0[:FT)")
@example("Song (Live ft)")
def test_normalization_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    title = normalize_title(text)
    assert normalize_title(title) == title


@settings(max_examples=200, deadline=None)
@given(latin_words)
def test_normalization_ignores_case_width_and_accents(text):
    expected = normalize_text(text)
    assert normalize_text(text.upper()) == normalize_text(text.lower()) == expected
    assert normalize_text(fullwidth(text)) == expected
    assert normalize_text(strip_accents(text)) == expected


@settings(max_examples=200, deadline=None)
@given(latin_words, latin_words, st.sampled_from(sorted(VERSION_WORDS)),
       st.sampled_from(["{t} ({v})", "{t} [{v}]", "{t} - {v}", "{t} ({v} Version)"]))
@example("a", "FT", "live", "{t} ({v})")  # an artist named only by a joining word
@example("a", "With", "remix", "{t} - {v}")
def test_versions_never_collapse(title, artist, version, shape):
    plain = recording(title, artist, 200)
    versioned = recording(shape.format(t=title, v=version.title()), artist, 200)
    assert plain.key != versioned.key
    assert not compare(plain, versioned).accepted
    assert not compare(versioned, plain).accepted


JOINING_WORDS = {"feat", "ft", "featuring", "with", "and", "x", "vs"}


@settings(max_examples=100, deadline=None)
@given(latin_words, latin_words, latin_words)
def test_featured_artists_are_a_set_wherever_they_are_written(title, a, b):
    # an artist named only by a joining word ("FT") cannot be told from the joining word
    assume(not {a.casefold(), b.casefold()} & JOINING_WORDS)
    expected = recording(title, f"{a} & {b}").key
    assert recording(f"{title} (feat. {b})", a).key == expected
    assert recording(title, f"{b} ft. {a}").key == expected
    assert recording(title, [a, b]).key == expected


@pytest.mark.parametrize(("left", "right"), [
    (("Halo", "Beyoncé"), ("HALO", "Beyonce")),
    (("晴天", "周杰倫"), ("晴天", "周杰伦")),
    (("Crazy in Love (feat. Jay-Z)", "Beyoncé"), ("Crazy In Love", "Beyonce ft. JAY Z")),
    (("Don’t Stop Me Now", "Queen"), ("Dont Stop Me Now - Remastered 2011", "Queen")),
    (("Halo (2011 Remaster)", "Beyoncé"), ("Halo", "Beyoncé")),
    (("Song (Radio Edit)", "A"), ("Song", "A")),
    (("Ｈｅｌｌｏ", "Ａｄｅｌｅ"), ("hello", "adele")),
    (("Rock & Roll", "Led Zeppelin"), ("Rock and Roll", "Led Zeppelin")),
    (("七里香", "周杰伦、方文山"), ("七里香", "方文山/周杰倫")),
])
def test_spellings_of_one_recording_have_one_key(left, right):
    assert recording(*left).key == recording(*right).key is not None


@pytest.mark.parametrize(("left", "right"), [
    (("Song (Live)", "A"), ("Song", "A")),
    (("Song (Acoustic)", "A"), ("Song (Live)", "A")),
    (("Song - Demo", "A"), ("Song", "A")),
    (("Song (Instrumental)", "A"), ("Song", "A")),
    (("Song (Remix)", "A"), ("Song", "A")),
    (("Song", "A"), ("Song", "B")),
])
def test_different_recordings_have_different_keys(left, right):
    assert recording(*left).key != recording(*right).key


def test_remaster_and_radio_edit_can_be_made_different():
    strict = IdentityOptions(remaster_is_same=False, radio_edit_is_same=False)
    assert recording("Halo (2011 Remaster)", "B", options=strict).key != \
        recording("Halo", "B", options=strict).key
    assert recording("Song (Radio Edit)", "A", options=strict).key != \
        recording("Song", "A", options=strict).key
    # keys made under other options never compare equal by accident
    assert recording("Halo", "B", options=strict).key != recording("Halo", "B").key


def test_artists_split_on_every_joining_word():
    assert split_artists("A feat. B, C & D / E; F featuring G with H、I ft J") == \
        frozenset("abcdefghij")


def test_match_order():
    base = recording("Halo", "Beyoncé", 261, MBID)
    # same MusicBrainz id wins even when the spelling differs
    assert compare(base, recording("Halo [Live]", "Other", 300, MBID.upper())).matched_by \
        == MATCHED_BY_MBID
    # identity with durations within 3 s; unknown durations do not veto
    assert compare(recording("Halo", "Beyoncé", 261),
                   recording("HALO", "Beyonce", 263.5)).matched_by == MATCHED_BY_IDENTITY
    assert compare(recording("Halo", "Beyoncé", 261), recording("Halo", "Beyonce")).accepted
    assert not compare(recording("Halo", "Beyoncé", 261),
                       recording("Halo", "Beyonce", 270)).accepted
    # fuzzy: accepted only at >= 95 with agreeing durations, else only a suggestion
    near = compare(recording("Hello World", "Adele", 200), recording("Hello Worlds", "Adele",
                                                                     201))
    assert near.accepted and near.score >= 95
    assert not compare(recording("Hello World", "Adele"),
                       recording("Hello Worlds", "Adele")).accepted
    far = compare(recording("Hello", "Adele", 200), recording("Hallo Welt", "Adele", 200))
    assert not far.accepted and 0 < far.score < 95 and "suggestion" in far.reason
    # two different MusicBrainz ids: never acted on
    other = "00000000-0000-4000-8000-000000000000"
    assert not compare(base, recording("Halo", "Beyoncé", 261, other)).accepted


def test_best_match_says_what_it_considered():
    target = recording("Sunrise", "Test Band", 120)
    candidates = [recording("Sunset", "Test Band", 120), recording("Sunrise", "Test Band", 121),
                  recording("Sunrise (Live)", "Test Band", 120)]
    chosen, verdicts = best_match(target, candidates)
    assert chosen == 1
    assert verdicts[0][0] == 1 and len(verdicts) == 3
    assert best_match(target, [candidates[0]])[0] is None


def test_search_title_keeps_the_sources_own_spelling():
    assert search_title("Halo (2011 Remaster)") == "Halo"
    assert search_title("Crazy in Love feat. Jay-Z") == "Crazy in Love"
    assert search_title("Straße FEAT. X - Live") == "Straße"
    assert search_title("(Intro)") == "(Intro)"
