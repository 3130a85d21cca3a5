"""Django's shell, without the warning that the history models cannot be imported.

django-simple-history makes its models (HistoricalIncident, ...) at run time: they are not
attributes of any module, so the shell's automatic imports name them as failures on every
start. They stay reachable as `Incident.history.model`.
"""

from django.core.management.commands import shell


class Command(shell.Command):
    def get_auto_imports(self) -> list[str]:
        imports = super().get_auto_imports() or []
        return [path for path in imports if not path.rpartition(".")[2].startswith("Historical")]
