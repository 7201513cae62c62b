"""One page builder per public page: each reads the typed figures once and returns a
dataclass the view renders (``views.py`` stays thin)."""
