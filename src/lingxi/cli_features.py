"""``lingxi features ...``: every end-user feature from the command line.

Each feature module registers its own commands here with a ``register(app)`` function, so this file stays a
table of contents.
"""

from __future__ import annotations

import typer

features_app = typer.Typer(
    no_args_is_help=True, help="AI features: writing, notifications, replies, assistant, shopping"
)
