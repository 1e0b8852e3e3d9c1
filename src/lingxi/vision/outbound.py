"""When a picture itself may go to a cloud vision-language model, and the copy that goes.

An image cannot be redacted the way text can: a phone number in a screenshot stays in its pixels. So a
picture is attached to a turn only when all of these hold: the operator allows it (``[vision]
cloud_images``), the user granted both ``camera_photos`` and ``cloud_processing``, and some configured model
sees images (``supports_vision``: Qwen3-VL on DashScope, a VL model on vLLM, or ``vision_models`` in a
provider's config). Even then the router decides where the turn goes, and the egress boundary drops the
picture for any model that does not see or when the consents are missing at send time; otherwise on-device
OCR's redacted text is all that leaves. The copy sent is re-encoded from the decoded pixels (JPEG, longest
side ``cloud_image_side``): no EXIF, so no GPS position or device serial rides along.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable

from PIL import Image

from lingxi.config import VisionSettings
from lingxi.models.base import ModelInfo
from lingxi.privacy.consent import Scope
from lingxi.vision.intake import Picture

BOTH = frozenset({Scope.CAMERA_PHOTOS, Scope.CLOUD_PROCESSING})


def may_attach(settings: VisionSettings, granted: Iterable[Scope], models: Iterable[ModelInfo]) -> bool:
    """Whether a user's picture may ride along with the turn, given the operator's ``settings``, the user's
    ``granted`` scopes and the configured ``models`` (see the module docstring)."""
    if not settings.cloud_images or not set(granted) >= BOTH:
        return False
    return any(info.supports_vision for info in models)


def data_url(picture: Picture, max_side: int) -> str:
    """A JPEG data URL of ``picture``, scaled to ``max_side`` at most, without metadata."""
    img = picture.image
    w, h = img.size
    if max(w, h) > max_side:
        r = max_side / max(w, h)
        img = img.resize((max(1, round(w * r)), max(1, round(h * r))), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="JPEG", quality=88)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
