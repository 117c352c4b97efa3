# The one error type the runtime reports to the user: a stable code plus a human message, and for some codes
# extra event fields (too_big: "needed" and "available", in bytes).


class ModelError(Exception):
    def __init__(self, code, message, **fields):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields
