from django.apps import AppConfig


class PolicyTrackConfig(AppConfig):
    """The project package as an app, for its system checks (policytrack.checks)."""

    name = "policytrack"
    verbose_name = "PolicyTrack"

    def ready(self) -> None:
        from policytrack import checks  # noqa: F401 - registers the checks
