"""The Linli process: config, CLI, platform adapters and scheduler wiring."""
