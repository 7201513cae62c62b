"""``{{ path|absolute }}``: a path as an address on the public site (``site.sharing``)."""

from __future__ import annotations

from django import template

from councilperf.site import sharing

register = template.Library()


@register.filter
def absolute(path: str) -> str:
    return sharing.absolute(str(path))
