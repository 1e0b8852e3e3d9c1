"""The ``lingxi`` command line: one module per command group, the root app in :mod:`lingxi.cli.root`.

``lingxi = "lingxi.cli:main"`` is the console script; ``python -m lingxi.cli`` runs the same (``__main__``).
Group modules load only when the command line names them (:mod:`lingxi.cli.lazy`), so ``lingxi --help``
stays fast.
"""

from lingxi.cli.root import app, main

__all__ = ["app", "main"]
