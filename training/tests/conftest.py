import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Every training test writes its files under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT

