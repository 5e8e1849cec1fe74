"""Background work of certificates: thin, takes ids, idempotent (the service claims each certificate)."""

from django_tasks import task

from . import services


@task()
def generate_batch_pdfs(batch_id: int) -> int:
    """Render the PDFs of one batch's issued certificates that have none yet."""
    return services.generate_pdfs(batch_id=batch_id)
