# The one error type the runtime reports to the user: a stable code plus a human message.


class ModelError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message
