"""Checking and cleaning uploaded photos with Pillow.

A file is accepted only if Pillow reads it as a JPEG, PNG or WebP image, whatever its name or
declared content type says. It is then re-encoded, which drops every EXIF, XMP and GPS block
(after turning the pixels upright as the EXIF orientation asked), and a small thumbnail is made.
Nothing here writes to disk; services.store_photo_pair does, once the image has passed.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
LONGEST_SIDE = 2400  # stored photos are scaled down to this
THUMB_SIDE = 480

# Pillow format name -> (file extension, content type, save options)
FORMATS = {
    "JPEG": ("jpg", "image/jpeg", {"quality": 85, "optimize": True}),
    "PNG": ("png", "image/png", {"optimize": True}),
    "WEBP": ("webp", "image/webp", {"quality": 85}),
}
CONTENT_TYPES = {ext: content_type for ext, content_type, _options in FORMATS.values()}


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    thumbnail: bytes
    extension: str
    width: int
    height: int


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def _refuse():
    return ValidationError(
        _("This file is not a JPEG, PNG or WebP photo. Choose a photo taken with a camera or phone."),
        code="not_an_image",
    )


def _read(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _too_big()
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_big()
    if not data:
        raise _refuse()
    return data


def _too_big():
    return ValidationError(
        _("The photo is larger than %(mb)d MB. Take it at a lower resolution or choose a smaller file.")
        % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
        code="too_big",
    )


def _max_pixels() -> int:
    # settings.MAX_IMAGE_MEGAPIXELS (30 by default) is also Pillow's own decompression-bomb limit (apps.py).
    return settings.MAX_IMAGE_MEGAPIXELS * 1_000_000


def _too_many_pixels():
    return ValidationError(
        _(
            "The photo has more than %(mp)d megapixels. Set the camera to a lower resolution "
            "(12 megapixels is plenty) or choose a smaller photo."
        )
        % {"mp": settings.MAX_IMAGE_MEGAPIXELS},
        code="too_many_pixels",
    )


def _encode(image: Image.Image, fmt: str) -> bytes:
    _ext, _type, options = FORMATS[fmt]
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    # No exif=, no xmp=, no icc_profile=: the re-encoded file carries pixels only.
    image.save(out, format=fmt, **options)
    return out.getvalue()


def clean_photo(upload) -> CleanPhoto:
    """Check an uploaded file by its content and return the re-encoded photo and thumbnail.

    Raises ValidationError for anything that is not a readable JPEG, PNG or WebP within the limits."""
    data = _read(upload)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                if fmt not in FORMATS:
                    raise _refuse()
                # Only the header is read so far: a huge photo is refused before any decoding.
                if probe.width * probe.height > _max_pixels():
                    raise _too_many_pixels()
                probe.verify()
            # verify() leaves the image unusable; open it again to decode the pixels.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        # Pillow's own check, in Image.open, at the same limit (or at twice it).
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Warning):
        raise _refuse() from None
    # A fresh image with the pixels only: no info dictionary (EXIF, GPS, XMP) travels to the encoder.
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    mode = "L" if upright.mode == "L" else ("RGBA" if has_alpha else "RGB")
    base = upright if upright.mode == mode else upright.convert(mode)
    clean = Image.frombytes(base.mode, base.size, base.tobytes())
    clean.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    thumb = clean.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    extension = FORMATS[fmt][0]
    return CleanPhoto(
        content=_encode(clean, fmt),
        thumbnail=_encode(thumb, fmt),
        extension=extension,
        width=clean.width,
        height=clean.height,
    )
