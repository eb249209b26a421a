"""The API's resources: ``client.messages`` and ``client.beta``."""
