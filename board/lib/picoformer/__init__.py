# Picoformer board runtime package. Modules are imported on demand to keep the heap free for models.
# Bumped when what the board computes changes (0.2.0: the sampling seed is mixed, docs/format.md).
VERSION = "0.2.0"
PROTOCOL = 1
