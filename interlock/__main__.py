"""``python -m interlock``: the same as the ``interlock`` command."""

from interlock._console import entry

if __name__ == "__main__":
    entry()
