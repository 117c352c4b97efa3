# Picoformer board runtime package. Modules are imported on demand to keep the heap free for models.
VERSION = "0.1.0"
PROTOCOL = 1
