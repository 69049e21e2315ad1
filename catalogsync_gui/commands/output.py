"""How subcommands talk to people and scripts: tables, `--json`, `--password-stdin`."""

from __future__ import annotations

import json
import sys
from typing import Any

from catalogsync_gui.startup import CliError


def read_password_stdin(flag: str = "--password-stdin", what: str = "password") -> str:
    """The first line of stdin, for `--password-stdin` or `--api-key-stdin` (never a
    command-line argument, which other users could read in the process list)."""
    if sys.stdin is None or sys.stdin.closed:
        raise CliError(f"{flag}: no standard input", exit_code=2)
    secret = sys.stdin.readline().rstrip("\r\n")
    if not secret:
        raise CliError(f"{flag}: standard input held no {what}", exit_code=2)
    return secret


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def print_table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    """A plain aligned table for people; scripts use --json."""
    cells = [[str(row.get(c, "")) if row.get(c) is not None else "-" for c in columns]
             for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip())
    for r in cells:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())


def print_rows(rows: list[dict[str, Any]], columns: list[str], *, as_json: bool) -> None:
    """A listing whose table shows the rows as they are: JSON with --json, else a table
    of `columns`."""
    if as_json:
        print_json(rows)
    else:
        print_table(rows, columns)
