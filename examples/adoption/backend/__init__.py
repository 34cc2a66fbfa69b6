"""A small back end that drifted before anyone checked it: the example of docs/adoption.md."""
