"""Scrapy components imported only when they are turned on.

Scrapy imports every extension and middleware of its lists (even one set to None) before asking
whether it is enabled. Two of them cost a run that keeps them off a third of a second of
start-up: the remote-control extension imports aiohttp's web server (~0.27 s), the cookies
middleware tldextract (~0.1 s). settings.py puts these stand-ins in their place in Scrapy's base
lists; each reads its component's own switch first and imports and builds the real one only
when it is on, so `-s REMOTE_CONTROL_ENABLED=True` or `-s COOKIES_ENABLED=True` work exactly as
in Scrapy, at the same priority.
"""

from __future__ import annotations

from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import build_from_crawler, load_object


def _when_enabled(setting: str, path: str) -> type:
    class WhenEnabled:
        @classmethod
        def from_crawler(cls, crawler):
            if not crawler.settings.getbool(setting, True):
                raise NotConfigured
            return build_from_crawler(load_object(path), crawler)

    WhenEnabled.__doc__ = f"{path}, imported only when {setting} is true."
    return WhenEnabled


REMOTE_CONTROL = "scrapy.extensions.remote_control.RemoteControl"
COOKIES = "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"
RemoteControl = _when_enabled("REMOTE_CONTROL_ENABLED", REMOTE_CONTROL)
CookiesMiddleware = _when_enabled("COOKIES_ENABLED", COOKIES)
STAND_INS = {REMOTE_CONTROL: f"{__name__}.RemoteControl", COOKIES: f"{__name__}.CookiesMiddleware"}


def with_stand_ins(base: dict) -> dict:
    """One of Scrapy's *_BASE component dicts with the stand-ins in place, order and
    priorities kept."""
    return {STAND_INS.get(path, path): priority for path, priority in base.items()}
