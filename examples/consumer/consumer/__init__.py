"""A consumer of interlock: a ``Notifier`` contract of its own and two implementations of it."""
