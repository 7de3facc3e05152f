"""The ``switchboard`` command line: one module per command group."""
