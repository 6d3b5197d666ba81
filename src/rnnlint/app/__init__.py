"""argv -> exit code: the console script, the click commands and the public API."""
