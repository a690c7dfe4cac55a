"""``python -m newsfacts.cli``: the same as the ``newsfacts`` command."""

from . import main

main()
