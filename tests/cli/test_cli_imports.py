"""A subcommand loads what it needs: `status`, which a monitoring script may run every few
seconds, loads neither the tag and matching libraries nor the HTTP client."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.cli import ROOT

HEAVY = ("mutagen", "rapidfuzz", "opencc", "httpx", "PySide6")


def test_status_json_loads_no_tags_matching_http_or_qt(cli_env):
    code = ("import json, sys\n"
            "from catalogsync_gui.cli import main\n"
            "try:\n"
            "    main(['status', '--json'])\n"
            "except SystemExit:\n"
            "    pass\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], env=cli_env, cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["total_jobs"] == 0
    loaded = set(json.loads(result.stderr.strip().splitlines()[-1]))
    assert "catalogsync_gui" in loaded and "peewee" in loaded  # it did run
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
