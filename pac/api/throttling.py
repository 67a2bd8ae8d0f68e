"""How often an integration may call: per token, else per person signed in."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from pac.core.tokens import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        # Read on each request, not when the class is defined: settings overridden in tests apply.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
