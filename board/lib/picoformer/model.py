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
    def __init__(self, name, dtype, rows, cols, off):
        self.name = name
        self.dtype = dtype  # "I8", "F32" or "F16"
        self.rows = rows
        self.cols = cols
        self.off = off  # absolute file offset of row 0
        self.rowb = cols * (1 if dtype == "I8" else 2 if dtype == "F16" else 4)  # bytes per row in the file
        self.data = None  # resident: array('b') / bytearray (I8) or array('f') (F32, F16 expanded)
        self.scale = None  # I8: array('f') of rows, always resident
        self.f = None  # streamed: the open model file
        self.buf = None  # streamed: the stream buffer for this dtype (I8 items, or floats)
        self.raw = None  # streamed F16: raw bytes before expansion
        self.unit = rows  # streamed: rows per read
        self.nd = None  # ulab: 2D view of data
        self.sd = None  # ulab: view of scale


class Model:
    def __init__(self):
        self.f = None

    def close(self):
        if self.f is not None:
            self.f.close()
            self.f = None
