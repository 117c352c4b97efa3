# The loaded model: vocabulary, matrices (resident items or a place in the file), norms, KV cache and run
# buffers. These classes live here, not in the transient header.py/loader.py, so a loaded model keeps no reference
# to those modules and their bytecode can be freed.
# Everything here is allocated once by loader.py; dropping the Model frees it all (close() first when streamed).


class Vocab:
    # The vocabulary packed as one UTF-8 blob + offsets (a list of str would cost ~32 bytes per entry).
    def __init__(self, blob, offs, special, lowercase, unk):
        self.blob = blob  # bytes: every entry back to back
        self.offs = offs  # array, V+1 items: entry i is blob[offs[i]:offs[i+1]]
        self.special = special  # bytearray(V): 1 special (never encoded, decodes to ''), 2 decode-only, 0 text
        self.lowercase = lowercase
        self.unk = unk  # what an unknown input character becomes


class Mat:
    # One [rows][cols] matrix, rows are outputs. Resident: `data` holds the items. Streamed: the items stay in the
    # file at byte `off`; `unit` rows at a time are read into the shared stream buffer `buf`.
    # Heap: an instance costs 16 bytes plus 8 per attribute slot, so it holds only what its mode uses (a resident
    # Mat: rows, cols, dtype, data, scale); every other attribute reads the class default below.
    name = None  # streamed: the tensor's name, for errors
    off = 0  # streamed: absolute file offset of row 0
    rowb = 0  # streamed: bytes per row in the file
    data = None  # resident: array('b') / bytearray (I8) or array('f') (F32, F16 expanded); with ulab its 2D view
    scale = None  # I8: array('f') of rows, always resident; with ulab its view
    f = None  # streamed: the open model file
    buf = None  # streamed: the stream buffer for this dtype (I8 items, or floats)
    raw = None  # streamed F16: raw bytes before expansion
    unit = 0  # streamed: rows per read

    def __init__(self, dtype, rows, cols):
        self.dtype = dtype  # "I8", "F32" or "F16"
        self.rows = rows
        self.cols = cols


class Model:
    def __init__(self):
        self.f = None

    def close(self):
        if self.f is not None:
            self.f.close()
            self.f = None
