app_name = "ecs"

urlpatterns: list = []
