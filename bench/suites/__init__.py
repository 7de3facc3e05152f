"""The four suites; each ``run(bench)`` returns ``{"figures": [...], "tables": {...},
"details": {...}}``."""
