"""Journey building blocks that Temporal workflow code can call (pure, deterministic)."""
