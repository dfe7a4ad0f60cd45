app_name = "emr"

urlpatterns: list = []  # the pages come with views.py
