"""Which sources a download asks when a song's own source cannot deliver it, in which
order, and what to type into their search boxes; on a real SQLite file."""

from __future__ import annotations

import json

import pytest

from catalogsync_gui.core.db.models import JobRun, Source
from catalogsync_gui.core.library.fallback import search_queries
from catalogsync_gui.core.library.fallback_sources import (
    default_fallback_sources,
    fallback_sources,
    job_fallback_sources,
    set_fallback_order,
)


@pytest.fixture
def sources(database, tmp_path):
    music = tmp_path / "music"
    music.mkdir()

    def build() -> None:
        def add(name: str, kind: str, enabled: bool = True, **settings) -> None:
            Source.create(name=name, kind=kind, enabled=enabled,
                          settings=json.dumps(settings))

        add("lists", "files", locations=[str(tmp_path / "party.m3u")])  # a file, no folder
        add("nas", "files", locations=[str(music)])
        add("home", "subsonic", url="http://127.0.0.1:1")
        add("demo", "demo")
        add("off", "subsonic", enabled=False, url="http://127.0.0.1:2")

    database.write(build)


def names(rows) -> list[str]:
    return [r.name for r in rows]


def test_the_default_is_every_enabled_source_that_can_search_in_the_users_order(
        database, sources):
    assert names(default_fallback_sources(database)) == ["nas", "home"]
    set_fallback_order(database, ["home", "nas"])
    assert names(default_fallback_sources(database)) == ["home", "nas"]
    overview = {f.name: f for f in fallback_sources(database)}
    assert list(overview)[:2] == ["home", "nas"]  # sources left out keep their order after
    assert overview["lists"].blocker == ("it lists no folder that exists (only folders of "
                                         "audio files can be searched)")
    assert overview["demo"].blocker == "demo sources cannot search"
    assert overview["off"].can_search and not overview["off"].enabled


def test_a_new_order_moves_the_named_sources_first_and_keeps_the_rest(database, sources):
    set_fallback_order(database, ["off", "demo"])
    assert names(fallback_sources(database)) == ["off", "demo", "lists", "nas", "home"]
    set_fallback_order(database, ["nas"])
    assert names(fallback_sources(database)) == ["nas", "off", "demo", "lists", "home"]
    with pytest.raises(LookupError, match="no source named 'gone'"):
        set_fallback_order(database, ["nas", "gone"])
    assert names(fallback_sources(database)) == ["nas", "off", "demo", "lists", "home"]


def test_a_job_naming_its_sources_asks_exactly_those_in_its_order(database, sources):
    job = JobRun(download_sources=json.dumps(["off", "gone", "lists"]))
    # kept even when they cannot search: the song's error then says why they were not asked
    assert names(job_fallback_sources(database, job)) == ["off", "lists"]
    assert names(job_fallback_sources(database, JobRun(download_sources="[]"))) == [
        "nas", "home"]


def test_search_texts_name_the_artist_only_where_a_catalogue_needs_it():
    assert search_queries("Halo (2011 Remaster)", "Beyoncé feat. X", False) == [
        "Halo", "halo"]
    assert search_queries("Halo (2011 Remaster)", "Beyoncé feat. X", True) == [
        "Halo Beyoncé", "Halo", "halo"]
    assert search_queries("晴天", "周杰倫、費玉清", True) == ["晴天 周杰倫", "晴天"]
