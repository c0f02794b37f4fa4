"""Commands beside the server: `python -m service worker` and `python -m service backfill`."""
