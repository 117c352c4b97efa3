# Test-only stand-in for CircuitPython's ulab (see numpy.py): lets CPython run the runtime's ulab path.
