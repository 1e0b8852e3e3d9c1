"""``lingxi features ...``: every end-user feature from the command line.

Each feature module registers its own commands with a ``register(app)`` function and shows itself in
``lingxi demo`` with a ``demo_section(lx, console, now_ms)``, so this file stays a table of contents.
"""

from __future__ import annotations

import typer

from lingxi.cli.features import assistant, notify, shopping, vision, writing

#: in the order ``lingxi features --help`` and ``lingxi demo`` show them
FEATURE_MODULES = (notify, writing, assistant, shopping)

features_app = typer.Typer(
    no_args_is_help=True, help="AI features: writing, notifications, replies, assistant, shopping, pictures"
)
for _module in FEATURE_MODULES:
    _module.register(features_app)
# pictures need the separate camera_photos consent, which the sample user never gave: no demo section
vision.register(features_app)
