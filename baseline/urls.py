app_name = "baseline"

urlpatterns: list = []
