"""`library scan` through the real CLI: queued, or run in the foreground with --wait."""

from __future__ import annotations

from catalogsync_gui.core.providers.demo_server import make_tagged_wav


def test_library_scan_wait_json_and_queue(sandbox):
    folder = sandbox.library / "Rips"
    folder.mkdir()
    for n, title in enumerate(("Sunrise", "Noon", "Dusk")):
        (folder / f"{n}.wav").write_bytes(make_tagged_wav(title, "Test Band", "A", seconds=0.1))

    result = sandbox.cli_json("library", "scan", "--wait")
    assert (result["status"], result["files"], result["added"], result["folders"]) == (
        "completed", 3, 3, 1)
    again = sandbox.cli("library", "scan", "--wait")
    assert "3 files in 1 folder (3 unchanged, 0 new" in again.stdout
    # not a terminal: the progress line is printed as lines, naming the job and its files
    progress = again.stderr.strip().splitlines()
    assert progress and all(line.startswith("Scan Library: ") for line in progress), progress

    queued = sandbox.cli_json("library", "scan", "--root", str(folder))
    assert (queued["status"], queued["display_name"]) == ("queued", "Scan Library")
    row = next(r for r in sandbox.cli_json("status")["jobs"] if r["id"] == queued["id"])
    assert (row["job_type"], row["lane_type"], row["status"]) == (
        "library_scan", "general", "queued")

    bad = sandbox.cli("library", "scan", "--root", str(sandbox.tmp), check=False)
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1
    assert "is not inside a library root" in bad.stderr
