"""One error type for publishing, shaped like the others the runner classifies
(`code`, `transient`), so a failed export or server call fails its item readably."""

from __future__ import annotations


class PublishError(Exception):
    def __init__(self, message: str, code: str = "publish_failed", *,
                 transient: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.transient = transient
