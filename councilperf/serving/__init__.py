"""Production serving: the page cache, security helpers, health check, backup and restore."""
