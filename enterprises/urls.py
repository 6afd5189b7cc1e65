from .urls_officer import urlpatterns as officer_urlpatterns
from .urls_path import urlpatterns as path_urlpatterns
from .urls_public import urlpatterns as public_urlpatterns

app_name = "enterprises"

urlpatterns = public_urlpatterns + officer_urlpatterns + path_urlpatterns
