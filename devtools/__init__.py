"""Development tools, not part of the shipped runtime: the embedded stack, the fake Twilio,
the simulator and the demo (docs/architecture.md)."""
