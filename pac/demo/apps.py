from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo team and its plan, seeded by `manage.py seed_demo`. No models."""

    name = "pac.demo"
    label = "pac_demo"
