"""The councils' portal, under /council/ (every address needs a council account).

Each part of the portal keeps its own routes; this module only joins them, all in the one
``portal`` namespace. Staff pages about councils' accounts, returns and replies are in
``staff_urls`` (mounted under /staff/).
"""

from councilperf.portal import accounts_urls, reply_urls, return_urls, year_urls

app_name = "portal"

urlpatterns = [
    *accounts_urls.urlpatterns,
    *return_urls.urlpatterns,
    *reply_urls.urlpatterns,
    *year_urls.urlpatterns,
]
