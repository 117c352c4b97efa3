# The conformance corpus (test/board/conformance/, written to build/conformance by npm run test:board): every
# file judged by the running runtime exactly as the TypeScript reader judged it (manifest.json): the same verdict
# and the same error code for listing (header) and loading resident (every weight), and the runtime answering
# after each file.
import json
import os
import unittest

from conformance import run
from helpers import REPO

CORPUS = os.environ.get("PICOFORMER_CONFORMANCE", os.path.join(REPO, "build", "conformance"))


def disagreements(manifest, results):
    """Human-readable lines, one per file where the board and the TypeScript reader differ."""
    out = []
    for e, (name, r) in zip(manifest, results):
        want_load = e["full"] if e["header"] == "ok" else None
        if r["crash"] or not r["answers"] or r["list"] != e["header"] or r["load"] != want_load:
            out.append("%s: TypeScript %s/%s, board %s/%s%s" % (name, e["header"], e["full"], r["list"], r["load"],
                                                              " (%s)" % r["crash"] if r["crash"] else ""))
    return out


class ConformanceTest(unittest.TestCase):
    def test_the_runtime_judges_every_corpus_file_as_the_typescript_reader_does(self):
        path = os.path.join(CORPUS, "manifest.json")
        if not os.path.exists(path):
            raise unittest.SkipTest("no conformance corpus in %s: npm run test:board writes it" % CORPUS)
        with open(path) as f:
            manifest = json.load(f)["files"]
        results = run(CORPUS, [e["file"] for e in manifest])
        bad = disagreements(manifest, results)
        self.assertEqual(bad, [], "%d of %d files:\n%s" % (len(bad), len(manifest), "\n".join(bad[:40])))
        # the corpus reaches many checks, accepted files included, or it proves little
        self.assertGreater(len({e["full"] for e in manifest}), 15)
        self.assertIn("ok", {e["full"] for e in manifest})


if __name__ == "__main__":
    unittest.main()
