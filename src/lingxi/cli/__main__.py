"""``python -m lingxi.cli``: the same entry point as the ``lingxi`` console script."""

from lingxi.cli.root import main

main()
