# How events read for a person at a terminal (human mode). Token text is written by the app as it streams.

HELP = """Type a prompt and press Enter to generate. Commands:
  /models              list the models in /models
  /load NAME [MODE]    load a model (MODE: resident or streamed; default: what fits)
  /unload              free the loaded model
  /tokens N  /temp T  /topk K  /seed S|random   generation settings
  /context refill|stop   past a full context: go on (default) or stop
  /mode auto|resident|streamed                  how models are loaded
  /info  /mem  /stop  /help
Ctrl-C stops a generation; pressed while idle it leaves for the REPL."""


def _kb(n):
    return "%.1f KB" % (n / 1024) if n is not None else "?"


def render(out, ev, d):
    t = out.text
    if ev == "ready":
        t("Picoformer %s on %s %s%s. Free heap %s.\n" % (d["version"], d["impl"], d["impl_version"],
                                                        " with ulab" if d["ulab"] else "", _kb(d["mem_free"])))
    elif ev == "models":
        ms = d["models"]
        if not ms:
            t("No models in %s. Copy a .safetensors model there.\n" % d["dir"])
        for m in ms:
            if "error" in m:
                t("  %-24s unusable: %s\n" % (m["file"], m["error"]["message"]))
            else:
                t("  %-24s %7d params %-5s %s%s\n" % (m["file"], m["params"], m["dtype"],
                                                   ("fits " + m["mode"]) if m["fits"] else "too big",
                                                   " (loaded)" if m.get("loaded") else ""))
    elif ev == "load":
        if d["done"] == 0:
            t("Loading %s (%s)..." % (d["file"], d["mode"]))
    elif ev == "loaded":
        if d.get("fallback"):
            t(" %s ran out of memory; loaded %s instead." % (d["fallback"]["from"], d["mode"]))
        t(" done in %d ms. Model uses %s, %s free. Type a prompt (/help for commands).\n"
          % (d["ms"], _kb(d["model_bytes"]), _kb(d["mem_free"])))
    elif ev == "unloaded":
        t("Unloaded %s.\n" % d["file"])
    elif ev == "memory":
        t("Heap: %s free, %s used, peak %s.\n" % (_kb(d["free"]), _kb(d["alloc"]), _kb(d["peak"])))
    elif ev == "start":
        if d["unknown"]:
            t("(%d unknown character(s) in the prompt)\n" % d["unknown"])
    elif ev == "done":
        dms = d["decode_ms"]  # the decode rate, as the extension shows it: the tokens after the first
        r = d.get("refills", 0)
        t("\n[%d tokens, %.1f tok/s decode, %s%s]\n" % (d["tokens"], (d["tokens"] - 1) * 1000 / dms if dms > 0 else 0.0,
                                                      d["reason"], (", context refilled %d time%s" % (r, "" if r == 1 else "s")) if r else ""))
    elif ev == "error":
        t("Error (%s): %s\n" % (d["code"], d["message"]))
    elif ev == "settings":
        t("max_tokens %d, temperature %s, top_k %d, seed %s, mode %s, at a full context %s\n"
          % (d["max_tokens"], d["temperature"], d["top_k"], "random" if d["seed"] is None else d["seed"], d["mode"],
             "stop" if d.get("stop_at_context") else "refill"))
    elif ev == "help":
        t(d["text"] + "\n")
    elif ev == "info":
        m = d["model"]
        t("Picoformer %s, %s %s, ulab %s. " % (d["version"], d["impl"], d["impl_version"], "yes" if d["ulab"] else "no"))
        t(("Model %s (%s, %d params, %s).\n" % (m["file"], m["mode"], m["params"], m["dtype"])) if m else "No model loaded.\n")
