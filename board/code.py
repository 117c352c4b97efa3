# Picoformer board runtime: everything lives in lib/picoformer; see README.md.
from picoformer.app import main

main()
