"""The query engine over the user's own data: a typed plan, two parsers into it, and code that executes it.

Layer: above :mod:`lingxi.context` (events and entities), below :mod:`lingxi.features` (it never imports
features or the server). See docs/query.md.

* :mod:`~lingxi.query.plan` — the plan (operation, subject, filters, exclusion, time);
* :mod:`~lingxi.query.windows` — Chinese time words → a window (holidays via ``chinese-calendar``);
* :mod:`~lingxi.query.synonyms` — everyday words → what the data calls them (deployer-extensible);
* :mod:`~lingxi.query.rules` — the lite tier's rule parser;
* :mod:`~lingxi.query.llm_plan` — the language-model parser (JSON plan, validated, rule fallback);
* :mod:`~lingxi.query.execute` (+ ``exec_entities``, ``exec_messages``) — the executor; facts in
  :mod:`~lingxi.query.answer`.
"""
