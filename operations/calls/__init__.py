"""Real-time calls: one ``CallSession`` per Twilio Media Stream.

See docs/architecture.md, "A real-time call"."""
