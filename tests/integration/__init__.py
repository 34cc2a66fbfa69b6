"""Tests against real servers and frameworks."""
