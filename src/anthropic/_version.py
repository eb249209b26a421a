__title__ = "anthropic"
__version__ = "0.1.0"
