"""Postgres: the conversation log (shared memory), the CRM, consent, media and the outbox."""
