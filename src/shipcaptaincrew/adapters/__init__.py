"""Adapters: the ports implemented with real technology (SQLite, argon2, SMTP, AWS)."""
