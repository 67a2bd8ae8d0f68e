"""Who is calling the API: a personal token (`Authorization: Bearer pac_…`), else the session of
someone signed in to the pages (the documentation page, a browser); DRF checks the session's CSRF
token on every write."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from pac.core.tokens import token_user


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        words = authentication.get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword:
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed(
                _("The Authorization header must be “Bearer” followed by the token.")
            )
        try:
            secret = words[1].decode("ascii")
        except UnicodeDecodeError:
            secret = ""
        token = token_user(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is unknown or has been revoked."))
        return token.user, token

    def authenticate_header(self, request):
        # A 401 (not a 403) to the anonymous, saying how to sign in.
        return 'Bearer realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token, created on the profile page.",
        }
