# Picoformer board runtime package. Modules are imported on demand to keep the heap free for models.
# Bumped when what the board computes changes (0.2.0: the sampling seed is mixed; 0.3.0: the int8 KV cache and
# text longer than the context, docs/format.md; 0.3.1: with ulab, the token is chosen in C, in float32).
VERSION = "0.3.1"
PROTOCOL = 1
