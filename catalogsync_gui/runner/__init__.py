"""QtCore-only runner: the lane supervisor, job runnables, throttled progress, headless mode."""
