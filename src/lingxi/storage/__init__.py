"""Storage plumbing: the embedded SQLite database, PostgreSQL, and which store lives where.

- :mod:`lingxi.storage.sqlite`: the SQLite database (WAL, per-component migrations), bottom layer;
- :mod:`lingxi.storage.writer`: a server's writer thread, committing concurrent requests' records together;
- :mod:`lingxi.storage.postgres`: the optional PostgreSQL driver, migrations and pool, bottom layer;
- :mod:`lingxi.storage.stores`: opens the shared stores (events, audit, complaints) in SQLite or PostgreSQL.
  It builds stores of ``context`` and ``compliance``, so it sits above them in the layer order
  (docs/architecture.md); this module imports none of the three, so the low ones stay low.
"""
