"""Adapting a feature to a model from the users' consented feedback, and proving the gain.

The loop: :mod:`.feedback` records what users did with answers (only under the separate
``model_improvement`` consent, never for minors) → :mod:`.export` builds a redacted, deduplicated,
user-split training set with a data card → :mod:`.finetune` submits it to a vendor's fine-tuning API (quirks
as data in :mod:`.ft_presets`) → :mod:`.lineage` registers the tuned model as a routable model with its
lineage → :mod:`lingxi.bakeoff.adapted` compares base and tuned on held-out items with a bootstrap
confidence interval → :mod:`.promote` switches the feature's route only on a win. On the device, per-feature
LoRA adapters on one llama.cpp base are configured in ``[models.NAME] adapters`` (:mod:`lingxi.models.llamacpp`).
"""
