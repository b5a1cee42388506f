"""File stems resolve to countries; unknown names suggest the closest ones."""

import pytest

from pipeline.core.countries import UnknownCountry, resolve_country


@pytest.mark.parametrize(
    ("stem", "alpha_3", "slug"),
    [
        ("kenya", "KEN", "kenya"),
        ("Kenya", "KEN", "kenya"),
        ("KE", "KEN", "kenya"),
        ("KEN", "KEN", "kenya"),
        ("cote-d-ivoire", "CIV", "cote-d-ivoire"),
        ("Tanzania", "TZA", "tanzania"),
        ("burundi", "BDI", "burundi"),
    ],
)
def test_resolves(stem: str, alpha_3: str, slug: str) -> None:
    country = resolve_country(stem)
    assert (country.alpha_3, country.slug) == (alpha_3, slug)


def test_unknown_name_suggests_closest() -> None:
    with pytest.raises(UnknownCountry) as info:
        resolve_country("kenia")
    assert info.value.suggestions[0] == "Kenya"
    assert "Did you mean: Kenya" in str(info.value)


@pytest.mark.parametrize("stem", ["../../etc/passwd", "/etc/cron.d/x", "a\x00b"])
def test_path_like_names_are_not_countries(stem: str) -> None:
    with pytest.raises(UnknownCountry):
        resolve_country(stem)
