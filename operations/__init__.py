"""Client-side operations on Switchboard's workflows and API: launch and manage journeys, dry-run
a journey, and the HTTP client the command line uses (docs/architecture.md)."""
