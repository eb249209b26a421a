__title__ = "anthropic"
# The official release whose public surface this package matches, with a local
# label for this implementation: "anthropic>=2" requirements are satisfied, and
# an installer has no reason to replace it with the official distribution.
__version__ = "2.15.0+streams.1"
