"""Every row holding a secret encrypted at rest, re-written under the key ring's first key."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from grader.db.models.lms import InboundWebhookSecret, LtiToolKey, WebhookEndpoint

SECRET_COLUMNS = ((WebhookEndpoint, "secret"), (InboundWebhookSecret, "secret"), (LtiToolKey, "private_key_pem"))


def reseal_all(session: Session) -> dict[str, int]:
    """Decrypt each stored secret with any key of the ring and write it back encrypted with the
    first one; returns the number of rows per table. The caller commits."""
    counts: dict[str, int] = {}
    for model, name in SECRET_COLUMNS:
        column = getattr(model, name)
        rows = session.execute(select(model.id, column)).all()
        for row_id, plaintext in rows:
            # a Core UPDATE: the ORM would skip writing a value equal to the one it loaded
            session.execute(update(model).where(model.id == row_id).values({name: plaintext})
                            .execution_options(synchronize_session=False))
        counts[model.__tablename__] = len(rows)
    session.flush()
    return counts
