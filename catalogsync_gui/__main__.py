"""`python -m catalogsync_gui` behaves exactly like the `catalogsync-gui` script."""

import sys

from catalogsync_gui.cli import main

sys.exit(main())
