from django.http import FileResponse


def checksummed_attachment(file, *, filename: str, sha256: str, content_type=None) -> FileResponse:
    """A stored file as a download that carries its SHA-256 and is never cached.

    Every download of evidence or a report goes through here, after the caller has
    checked that the user may see it.
    """
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Checksum-SHA256"] = sha256
    response["Cache-Control"] = "private, no-store"
    return response
