# The models on the drive: the .safetensors files of the models folder, each header checked, its heap estimated
# for both load modes, and the mode that fits the memory available (resident when it fits, else streamed).
import os

from . import header, memest
from .errors import ModelError

EXT = ".safetensors"


def files(folder):
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(n for n in names if n.endswith(EXT) and not n.startswith("."))


def estimates(h, ulab):
    kw = {"header_len": h.hlen, "vocab_bytes": h.vocab_bytes, "ulab": ulab}
    return (memest.estimate(h.cfg, h.tensors, "resident", **kw)["total"],
            memest.estimate(h.cfg, h.tensors, "streamed", **kw)["total"])


def _fits(total, avail):
    return memest.fits({"total": total}, avail)


def choose(h, avail, forced, ulab):
    """(mode, estimated bytes) for loading h with `avail` bytes free; ModelError("too_big") when nothing fits."""
    er, es = estimates(h, ulab)
    if forced == "resident" or forced == "streamed":
        e = er if forced == "resident" else es
        if _fits(e, avail):
            return forced, e
        raise ModelError("too_big", "%s needs about %d bytes loaded %s (plus a %d-byte margin); %d are free"
                         % (h.path, e, forced, memest.MARGIN, avail))
    if _fits(er, avail):
        return "resident", er
    if _fits(es, avail):
        return "streamed", es
    raise ModelError("too_big", "%s needs about %d bytes even streamed (plus a %d-byte margin); %d are free"
                     % (h.path, es, memest.MARGIN, avail))


def describe(folder, name, avail, forced, ulab):
    """One entry of the models event."""
    path = folder + "/" + name
    try:
        h = header.read(path)
    except ModelError as e:
        try:
            size = os.stat(path)[6]
        except OSError:
            size = 0
        return {"file": name, "size": size, "error": {"code": e.code, "message": e.message}}
    er, es = estimates(h, ulab)
    try:
        mode = choose(h, avail, forced, ulab)[0]
    except ModelError:
        mode = None
    c = h.cfg
    return {"file": name, "name": h.name or name[:-len(EXT)], "size": h.size, "params": h.params, "dtype": h.dtype,
            "context_length": c["context_length"], "vocab_size": c["vocab_size"], "fits": mode is not None,
            "mode": mode, "estimate": {"resident": er, "streamed": es}}


def resolve(folder, name):
    """The file name for a model named by file name, file name without extension, or metadata name."""
    names = files(folder)
    if name in names:
        return name
    if name + EXT in names:
        return name + EXT
    for n in names:
        try:
            if header.read(folder + "/" + n).name == name:
                return n
        except ModelError:
            pass
    raise ModelError("not_found", "no model %s in %s" % (name, folder))
