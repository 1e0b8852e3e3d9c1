"""Visual intelligence on the device: images in, recognized text, QR codes and proposals out.

- :mod:`~lingxi.vision.intake`: bytes, files, data URLs (and operator-allowed http URLs) to a bounded image.
- :mod:`~lingxi.vision.ocr`: on-device Chinese OCR (PP-OCR models in ``rapidocr_onnxruntime``) with layout.
- :mod:`~lingxi.vision.qr`: QR and other barcodes (``zxing-cpp``).
- :mod:`~lingxi.vision.fields` and :mod:`~lingxi.vision.extract`: from recognized text to proposals
  (a calendar entry, a parcel update, a payment), always proposals the user confirms.
- :mod:`~lingxi.vision.service`: ``lx.vision``, through the one pipeline (consent, screening, redaction,
  labels, audit).
"""
