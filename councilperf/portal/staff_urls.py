"""Staff pages about councils: their people, their returns and their replies (under /staff/)."""

from councilperf.portal import accounts_urls, reply_urls, return_urls

app_name = "portal_staff"

urlpatterns = [
    *accounts_urls.staff_urlpatterns,
    *return_urls.staff_urlpatterns,
    *reply_urls.staff_urlpatterns,
]
