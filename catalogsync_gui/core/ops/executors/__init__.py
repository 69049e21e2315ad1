"""Stage executors: plain-Python job execution, driven by the runner.

No Qt here: the runner calls `JobExecutor.run()` on a lane thread and receives progress
through a plain callback, so the same code runs under the window, `--headless` and tests.
"""
