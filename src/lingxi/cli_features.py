"""``lingxi features ...``: every end-user feature from the command line.

Each feature module registers its own commands with a ``register(app)`` function and shows itself in
``lingxi demo`` with a ``demo_section(lx, console, now_ms)``, so this file stays a table of contents.
"""

from __future__ import annotations

import typer

from lingxi import cli_feat_assistant, cli_feat_notify, cli_feat_shopping, cli_feat_vision, cli_feat_writing

#: in the order ``lingxi features --help`` and ``lingxi demo`` show them
FEATURE_MODULES = (cli_feat_notify, cli_feat_writing, cli_feat_assistant, cli_feat_shopping)

features_app = typer.Typer(
    no_args_is_help=True, help="AI features: writing, notifications, replies, assistant, shopping, pictures"
)
for _module in FEATURE_MODULES:
    _module.register(features_app)
# pictures need the separate camera_photos consent, which the sample user never gave: no demo section
cli_feat_vision.register(features_app)
