"""Many files -> results: the walk, the cache, the worker processes and the summary tally."""
