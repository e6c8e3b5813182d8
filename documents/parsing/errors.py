"""The one error of reading an uploaded file, shared by the readers of every format."""


class DocumentReadError(ValueError):
    """The file cannot be read as a policy document; the message is shown to the user."""
