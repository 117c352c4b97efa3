# The models on the drive: the .safetensors files of the models folder, each header checked, its heap estimated
# for both load modes, and the mode that fits the memory available (resident when it fits, else streamed).
import gc
import os

from .errors import ModelError

EXT = ".safetensors"


def files(folder):
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(n for n in names if n.endswith(EXT) and not n.startswith("."))


# /picoformer.json, beside the models folder (written by the extension's deploy, docs/devices.md): a dict, {} when
# missing or unreadable.
def settings(folder):
    import json

    try:
        with open(folder.rsplit("/", 1)[0] + "/picoformer.json") as f:
            s = json.load(f)
    except (OSError, ValueError):
        return {}
    return s if type(s) is dict else {}


# The default model /picoformer.json names moved to the front of names, with the mode the file sets for it
# ("resident", "streamed", else None: auto). A missing or unreadable file, or a model not in names, changes
# nothing. A comment, not a docstring: the list and every load import this module, and a docstring costs heap there
# (~450 bytes measured).
def default_first(folder, names):
    s = settings(folder)
    try:
        want = s["model"].rsplit("/", 1)[-1]
    except (TypeError, KeyError, AttributeError):
        return names, None
    if want not in names:
        return names, None
    m = s.get("mode")
    return [want] + [n for n in names if n != want], m if m in ("resident", "streamed") else None


def estimates(h, ulab):
    """(resident, streamed): estimated peak heap in bytes of loading h each way."""
    from .memest import estimate

    kw = {"header_len": h.hlen, "vocab_bytes": h.vocab_bytes, "ulab": ulab}
    return (estimate(h.cfg, h.tensors, "resident", **kw)["total"],
            estimate(h.cfg, h.tensors, "streamed", **kw)["total"])


def choose(what, est, avail, forced, loaded=None):
    """(mode, bytes): resident when it fits in avail, else streamed; forced: only that mode. The one rule for the
    models list and for a load (est = (resident, streamed) from estimates(); avail = App.available()).
    ModelError("too_big") when nothing allowed fits; loaded: the file that then stays loaded, for the message."""
    from .memest import MARGIN, fits

    for mode, e in (("resident", est[0]), ("streamed", est[1])):
        if forced in (None, mode) and fits({"total": e}, avail):
            return mode, e
    e = est[0] if forced == "resident" else est[1]
    raise ModelError("too_big", "%s needs about %d bytes %s plus a %d-byte margin, but %d are available (what can be "
                     "allocated plus what the loaded model holds)%s"
                     % (what, e, "loaded resident" if forced == "resident" else "even streamed", MARGIN, avail,
                        "; %s stays loaded" % loaded if loaded else ""),
                     needed=e + MARGIN, available=avail)


def describe(folder, name, avail, forced, ulab, known=None):
    """One entry of the models event. known: (model, size, estimates) of the loaded model, whose header is not read
    again (beside a large model there may be no room to parse it, or even to compile the header reader)."""
    path = folder + "/" + name
    err = None
    if known is not None:
        h, size, est = known
    else:
        try:
            from .header import read

            h = read(path)
            size = h.size
            est = estimates(h, ulab)
        except ModelError as e:
            err = (e.code, e.message)
        except MemoryError:  # the file stays listed, as unusable now; the parse is collectable once out of this block
            err = ("out_of_memory", "not enough memory to read its header beside the loaded model")
        except Exception as e:  # whatever else a file can cause must not end the list
            err = ("internal", "%s: %s" % (type(e).__name__, e))
    if err:
        h = None
        gc.collect()
        try:
            size = os.stat(path)[6]
        except OSError:
            size = 0
        return {"file": name, "size": size, "error": {"code": err[0], "message": err[1]}}
    try:
        mode = choose(name, est, avail, forced)[0]
    except ModelError:
        mode = None
    c = h.cfg
    return {"file": name, "name": h.name or name[:-len(EXT)], "size": size, "params": h.params, "dtype": h.dtype,
            "context_length": c["context_length"], "vocab_size": c["vocab_size"], "fits": mode is not None,
            "mode": mode, "estimate": {"resident": est[0], "streamed": est[1]}}


def resolve(folder, name):
    """The file name for a model named by file name, file name without extension, or metadata name."""
    from .header import read

    names = files(folder)
    if name in names:
        return name
    if name + EXT in names:
        return name + EXT
    for n in names:
        try:
            if read(folder + "/" + n).name == name:
                return n
        except Exception:  # an unusable file (ModelError, MemoryError...) names no model
            pass
    raise ModelError("not_found", "no model %s in %s" % (name, folder))
