"""`manage.py shell` starts without naming the history models as failed imports."""

import io

from django.core.management import call_command


def test_the_shell_starts_without_import_failures(capsys):
    out = io.StringIO()
    call_command("shell", command="print(Incident.__name__)", stdout=out, stderr=out)
    printed = out.getvalue() + "".join(capsys.readouterr())
    assert "Incident" in printed
    assert "could not be automatically imported" not in printed
