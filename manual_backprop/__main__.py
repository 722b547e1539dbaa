"""``python -m manual_backprop``: see ``manual_backprop.cli``."""

from .cli import run

run()
