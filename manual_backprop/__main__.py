"""``python -m manual_backprop``: see ``manual_backprop.cli``."""

import sys

from .cli import main

sys.exit(main())
