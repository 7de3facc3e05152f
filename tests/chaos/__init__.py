"""The chaos suite (``make chaos``; a short run is part of ``make test``)."""
