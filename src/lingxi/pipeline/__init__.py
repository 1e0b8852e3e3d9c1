"""The request path every feature goes through: the turn and its runner, then the stages in order.

- :mod:`lingxi.pipeline.turn`: :class:`Turn`, :class:`Answer`, :class:`Options`, the :class:`Pipeline` runner
  (re-exported here: what features, the server and the CLI build on);
- :mod:`lingxi.pipeline.generation`: generation with fallback, mid-stream too;
- :mod:`lingxi.pipeline.stages_output`: the stages after generation (restore, output screen, label, audit);
- :mod:`lingxi.pipeline.stages`: the stages before it (consent, context, prompt, screen, route, egress).

Inside the package each module imports only those listed above it (checked by ``lint-imports``). This module
re-exports only the turn's types, so importing it does not pull in the stages' screening libraries.
"""

from lingxi.pipeline.turn import Answer, Fallback, Feature, Options, Pipeline, PipelineObserver, Stage, Turn

__all__ = ["Answer", "Fallback", "Feature", "Options", "Pipeline", "PipelineObserver", "Stage", "Turn"]
