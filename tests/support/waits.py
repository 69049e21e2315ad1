"""How long a test waits for a state it expects, in milliseconds.

A wait returns as soon as its condition holds, so a long deadline costs nothing when the
test passes; it only decides when a test gives up. On a loaded 2-core machine the window's
first refresh or a runner's first tick can take seconds, so deadlines are generous.
"""

LONG_WAIT_MS = 30_000
