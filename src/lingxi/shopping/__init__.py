"""Shopping recommendations: a real-time ingest hook, a session-aware recommender core, offline evaluation.

Independent of the request pipeline: :mod:`lingxi.shopping.hook` keeps per-user interaction sequences,
item co-occurrence/transition counts and decayed popularity in SQLite inside the ingest transaction, and
:mod:`lingxi.shopping.core` ranks from those tables. The live feature (:mod:`lingxi.features.shopping`) and
the offline evaluation (:mod:`lingxi.shopping.evaluate`) call the same two modules.
"""
