"""Shared test support: real loopback servers used by every helper's tests."""
