"""PyInstaller's entry script: the same behaviour as the `catalogsync-gui` console script.

PyInstaller needs a file to start from; the console script is only an entry point
(`catalogsync_gui.cli:main`) in the package metadata, so this file calls it.
"""

import sys

from catalogsync_gui.cli import main

if __name__ == "__main__":
    sys.exit(main())
