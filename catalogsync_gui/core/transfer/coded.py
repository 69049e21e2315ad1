"""A text with the code and values it was made of (docs/design.md, "The window").

Providers say why a playlist entry was skipped and storage says why a root cannot take a
file: plain English strings wherever a string is read (logs, `status --json`), which also
carry a code and values so the window can say the same in its language. This lives with
the transfer engine only because it is the one layer both of them build on.
"""

from __future__ import annotations

from typing import Any, Self


class CodedStr(str):
    """The English words as the string itself; `code` and `values` beside them."""

    code: str
    values: dict[str, Any]

    def __new__(cls, text: str, code: str, **values: Any) -> Self:
        coded = super().__new__(cls, text)
        coded.code, coded.values = code, values
        return coded
