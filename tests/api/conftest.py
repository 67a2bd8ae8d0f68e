"""Clients of the API: a token per person, sent as `Authorization: Bearer`."""

import pytest
from django.core.cache import cache
from django.test import Client

from pac.core.tokens import token_create


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Each test starts with a full allowance of requests."""
    cache.clear()


@pytest.fixture
def bearer():
    """A client sending a new token of `user`'s, with no session."""

    def client_of(user, language="en"):
        _, secret = token_create(actor=user, name="Tests")
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE=language)

    return client_of
