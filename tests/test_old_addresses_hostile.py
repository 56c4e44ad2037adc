"""The old-address fallback (articles/importer/redirects.py) looks a 404's path up in
the import's tables; a path no database can hold is simply not found."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/channel/%00/", "/channel/%2500/", "/html/news/%2500.html", "/index.php?id=%00"],
)
def test_a_nul_byte_in_an_address_is_not_found(client, path):
    """PostgreSQL refuses NUL in text: looking such a path up used to answer 500."""
    assert client.get(path).status_code in (404, 400)
