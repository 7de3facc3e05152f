"""The agent's evaluation: scenarios played through the real stack with signed webhooks and
scored from the outside (evals/README.md). ``python -m evals`` or ``make eval``."""
