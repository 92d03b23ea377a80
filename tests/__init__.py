"""Tests mirror the packages: console/ and ui/."""
