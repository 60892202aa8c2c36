from rest_framework.routers import SimpleRouter


class OptionalSlashRouter(SimpleRouter):
    """``/api/v1/keys`` and ``/api/v1/keys/`` both work (helpdesk integrations vary)."""

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"
