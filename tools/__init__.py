"""Developer tools that are neither the kernel, the reference nor tests (not packaged)."""
