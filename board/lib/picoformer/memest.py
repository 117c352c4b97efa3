# Heap estimate for loading a model on the board, in bytes, from a table of constants.
#
# OWNERSHIP: written by the board-runtime engineer; the memory engineer owns this file from now on (calibrates the
# constants against measurements and mirrors it in src/memory/). Board-runtime code only calls estimate() and fits().
#
# ONE SOURCE OF TRUTH: the const() figures below are the "board" table of src/memory/constants.json, and estimate()
# is the same arithmetic as src/memory/boardParts.ts. test/unit/memory/memest-sync.test.ts fails when either
# drifts (it compares the constants and runs this file under CPython on many models against the TypeScript).
# Calibrated on the official firmware on the emulated Pico (npm run calibrate:firmware --write; the load steps, the
# open file), the object sizes in the MicroPython VM (test/board/memory-calibration.test.ts); docs/memory.md.
#
# NOTE FOR THE MEMORY ENGINEER, what the loader (loader.py) allocates, in this order:
#  1. header.read(): reads the 8+N header bytes, json-parses the header (tensor table dicts), the config and the
#     vocabulary (a list of V str), checks uniqueness with a set, then packs the vocabulary into one bytes blob
#     (vocab_bytes long) + an offsets array ('H' if blob < 64 KiB else 'L', V+1 items) + bytearray(V) of special
#     flags. Only the packed vocab, the config dict and the tensor table {name: (dtype, shape, begin, end)} survive.
#  2. the estimate below is compared with App.available(): gc.mem_free() (capped by a budget when one is set),
#     measured at the start of the step, plus what the loaded model holds (the load frees it first).
#  3. One list of buffers, sorted by size (largest first), each allocated once with no temporary copy
#     (array(tc, range(n)) on MicroPython; bytearray(n) for int8 on the ulab path):
#       resident: every 2D tensor (tok_emb, pos_emb, wq wk wv wo w1 w2 per layer, lm_head): int8 -> n bytes
#                 ('b' array, or bytearray with ulab), F32 and F16 -> 'f' array of n floats (F16 is expanded);
#                 streamed: none of these, but one stream buffer per kind ('b' for int8, 'f' for F32/F16) sized to
#                 the largest unit: unit = min(rows, max(1, STREAM_CHUNK // row_bytes)) rows of a matrix;
#                 F16 streamed also gets a raw bytearray of 2 bytes per unit element.
#       both: one 'f' array of every .scale tensor's rows back to back, 2*n_layers+1 norms ('f', dim), key and value cache per layer
#             ('f', context_length*dim each; with kv_cache int8: 'b' or bytearray of context_length*dim plus
#             'f' of context_length scales each), activations 'f': x, xb, xb2, q (dim), hb (hidden_dim),
#             att (context_length), logits (vocab_size), topv (vocab_size); seq 'H' (context_length).
#  4. Reads every tensor with seek + readinto (F16 through a F16_CHUNK-byte bytearray, freed after loading);
#     checks F32/F16 tensors it holds for NaN/Inf. Streamed mode keeps the file open (one file object).
#  5. Small objects: one Mat per 2D tensor (a resident one holds up to 6 attributes, a streamed one 12 and its
#     name), a tuple per layer, the Model; with ulab one ndarray view per resident matrix, one of the scales, one
#     per norm, activation (x, xb, xb2, q, hb, logits) and cache array (2D), and per cache scales array with
#     kv_cache int8; the views replace the arrays on the Model, and ulab needs no att array.
# Generation then allocates nothing that stays alive (the tests check live heap after 1 and 100 tokens).
try:
    from micropython import const
except ImportError:

    def const(x):
        return x


GC_BLOCK = const(16)  # allocation granularity of the MicroPython/CircuitPython heap
ARRAY_OBJ = const(16)  # array/bytearray object header, allocated apart from its items
BYTES_OBJ = const(16)  # bytes object header (the blob's items follow in the same allocation)
MAT_OBJ = const(64)  # a resident Mat: the instance and its 5 attributes (firmware: 16 + 8 per slot, 6 slots)
MAT_STREAMED_OBJ = const(144)  # a streamed Mat: 11 attributes (12 slots) and its tensor name (model.Mat)
LAYER_OBJ = const(80)  # the tuple holding one layer's parts, and the layer's share of the cache lists (fitted)
MODEL_OBJ = const(224)  # the Model instance and its attribute dict (fitted with CONFIG_OBJ)
CONFIG_OBJ = const(656)  # the parsed config dict kept on the model (measured: 656 bytes allocated)
FILE_OBJ = const(688)  # an open file, and what else a streamed load holds beyond its objects (firmware fit)
NDARRAY_OBJ = const(32)  # a ulab ndarray view (object + shape/strides); fitted on the firmware (the VM has no ulab)
STREAM_CHUNK = const(1024)  # bytes of whole rows read per streamed unit (must equal loader.STREAM_CHUNK)
F16_CHUNK = const(1024)  # raw F16 bytes converted per step while loading
HEADER_CODE = const(24368)  # the decision step's code (cmds, catalog, header, memest, fwd_*), garbage included (firmware)
HEADER_PER_BYTE = const(2)  # header parse: the raw bytes plus the metadata strings cut from them
HEADER_PER_TENSOR = const(511)  # header parse: entry dict, key/dtype strings, shape and offset lists (firmware)
HEADER_PER_WORD = const(7)  # header parse: an entry of the packed vocabulary (offsets, repeats table) (firmware)
LOAD_CODE = const(11360)  # the load step beyond its buffers: loading and loader imported, the step's garbage (firmware)
LOAD_PER_TENSOR = const(414)  # while loading: the tensor table entry and the loader's plan/order tuples (firmware)
MARGIN = const(8192)  # headroom a model must leave free to count as fitting (fragmentation, stack, printing)


def _r16(n):
    return (n + GC_BLOCK - 1) // GC_BLOCK * GC_BLOCK


def arr(nbytes):
    """Heap bytes of one array/bytearray with nbytes of items."""
    return ARRAY_OBJ + _r16(nbytes) if nbytes else ARRAY_OBJ


def unit_rows(rows, row_bytes):
    """Rows of one matrix read per streamed unit."""
    return min(rows, max(1, STREAM_CHUNK // row_bytes))


_SIZE = {"F32": 4, "F16": 2, "I8": 1}


def estimate(cfg, tensors, mode, header_len=0, vocab_bytes=None, ulab=False, ctx=None):
    """Named parts of the heap a model needs, in bytes.

    cfg: the model config (dict); tensors: {name: (dtype, shape, ...)} as header.read() gives them;
    mode: "resident" or "streamed"; header_len: N of the file; vocab_bytes: UTF-8 length of the vocabulary;
    ctx: a context length below the model's, to size the KV cache for shorter runs.
    """
    v = cfg["vocab_size"]
    d = cfg["dim"]
    hd = cfg["hidden_dim"]
    nl = cfg["n_layers"]
    if ctx is None:
        ctx = cfg["context_length"]
    streamed = mode == "streamed"
    weights = scales = norms = views = 0
    mats = 0
    big = [0]  # the largest single buffer

    def buf(nbytes):
        b = arr(nbytes)
        if b > big[0]:
            big[0] = b
        return b

    unit = {}  # stream buffer kind -> largest unit in elements
    f16_unit = 0
    for name in tensors:
        t = tensors[name]
        dt = t[0]
        shape = t[1]
        n = 1
        for s in shape:
            n *= s
        if name.endswith(".scale"):
            scales += n  # items: every matrix's scales are one array (below)
        elif len(shape) == 1:
            norms += buf(4 * n)
            views += 1
        else:
            mats += 1
            if not streamed:
                weights += buf(n if dt == "I8" else 4 * n)
                views += 1
            else:
                u = unit_rows(shape[0], shape[1] * _SIZE[dt]) * shape[1]
                k = "b" if dt == "I8" else "f"
                if u > unit.get(k, 0):
                    unit[k] = u
                if dt == "F16" and u > f16_unit:
                    f16_unit = u
    if scales:
        scales = buf(4 * scales)
        views += 1
    layer_buffer = 0
    if streamed:
        for k in unit:
            layer_buffer += buf(unit[k] * (1 if k == "b" else 4))
        if f16_unit:
            layer_buffer += buf(2 * f16_unit)
    kv8 = cfg.get("kv_cache") == "int8"
    kv = 2 * nl * ((buf(ctx * d) + buf(4 * ctx)) if kv8 else buf(4 * ctx * d))
    # x, xb, xb2, q, hb, logits, topv, seq; att (the scores) only without ulab, which uses its own temporaries
    acts = 4 * buf(4 * d) + buf(4 * hd) + (0 if ulab else buf(4 * ctx)) + 2 * buf(4 * v) + buf(2 * ctx)
    views += (2 if kv8 else 1) * 2 * nl + 6  # a [ctx][dim] view per cache array (and its scales), six activations
    if vocab_bytes is None:
        vocab_bytes = 2 * v
    vocab = BYTES_OBJ + _r16(vocab_bytes + 1) + arr((2 if vocab_bytes < 65536 else 4) * (v + 1)) + arr(v)
    objects = MODEL_OBJ + CONFIG_OBJ + mats * (MAT_STREAMED_OBJ if streamed else MAT_OBJ) + nl * LAYER_OBJ
    if streamed:
        objects += FILE_OBJ
    if ulab:
        objects += views * NDARRAY_OBJ
    f16 = any(tensors[k][0] == "F16" for k in tensors)
    # Steps (board cmds.load_start, loading.py): the decision parses the header with cmds, catalog, header, memest
    # and the forward pass compiled; read_header parses it again and compiles the loader; load_finish allocates
    # the buffers with the loader still imported and the tensor table alive. "total" counts from the idle runtime.
    transient = LOAD_CODE + len(tensors) * LOAD_PER_TENSOR + (arr(F16_CHUNK) if f16 else 0)
    header = HEADER_CODE + HEADER_PER_BYTE * header_len + HEADER_PER_TENSOR * len(tensors) + HEADER_PER_WORD * v
    live = weights + scales + norms + kv + acts + layer_buffer + vocab + objects
    return {
        "weights": weights,
        "scales": scales,
        "norms": norms,
        "kv_cache": kv,
        "activations": acts,
        "layer_buffer": layer_buffer,
        "vocab": vocab,
        "objects": objects,
        "transient": transient,
        "header": header,
        "live": live,
        "total": max(live + transient, header),
        "largest": big[0],
    }


def fits(est, free):
    """True when a model with this estimate fits in `free` bytes with the safety margin."""
    return est["total"] + MARGIN <= free
