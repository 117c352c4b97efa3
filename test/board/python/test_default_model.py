# The default model named by /picoformer.json (written by the extension's deploy, docs/devices.md) is the one the
# runtime loads at start; without that file, or when it names a missing model, the first model that loads wins.
import json
import os
import shutil
import unittest

from helpers import Harness, TempDir, golden

MODELS = ("random-1k-i8", "random-8k-f32")


class DefaultModelTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.models = os.path.join(self.tmp.path, "models")
        os.mkdir(self.models)
        for name in MODELS:
            shutil.copy(golden(name)[1], os.path.join(self.models, name + ".safetensors"))
        self.h = None

    def tearDown(self):
        if self.h is not None and self.h.app.model is not None:
            self.h.app.model.close()
        self.tmp.cleanup()

    def settings(self, text):
        with open(os.path.join(self.tmp.path, "picoformer.json"), "w") as f:
            f.write(text)

    def boot(self):
        self.h = Harness(self.models)
        self.h.cmd(cmd="hello")
        return self.h.run_until("loaded")

    def test_loads_the_model_the_settings_name(self):
        self.settings(json.dumps({"model": "/models/random-8k-f32.safetensors"}))
        self.assertEqual(self.boot()["file"], "random-8k-f32.safetensors")

    def test_the_default_model_loads_in_the_mode_the_settings_set(self):
        self.settings(json.dumps({"model": "/models/random-8k-f32.safetensors", "mode": "streamed"}))
        loaded = self.boot()
        self.assertEqual((loaded["file"], loaded["mode"]), ("random-8k-f32.safetensors", "streamed"))

    def test_without_a_mode_the_default_model_loads_in_auto_mode(self):
        self.settings(json.dumps({"model": "/models/random-8k-f32.safetensors"}))
        self.assertEqual(self.boot()["mode"], "resident")  # it fits resident: auto picks that

    def test_the_mode_applies_to_the_default_model_only(self):
        # The named model is gone: the one that loads instead was not chosen with that mode.
        self.settings(json.dumps({"model": "/models/gone.safetensors", "mode": "streamed"}))
        loaded = self.boot()
        self.assertEqual((loaded["file"], loaded["mode"]), ("random-1k-i8.safetensors", "resident"))

    def test_an_unknown_mode_is_auto(self):
        self.settings(json.dumps({"model": "/models/random-8k-f32.safetensors", "mode": "fast"}))
        self.assertEqual(self.boot()["mode"], "resident")

    def test_without_settings_the_first_model_loads(self):
        self.assertEqual(self.boot()["file"], "random-1k-i8.safetensors")

    def test_settings_naming_a_missing_model_fall_back_to_the_others(self):
        self.settings(json.dumps({"model": "/models/gone.safetensors"}))
        self.assertEqual(self.boot()["file"], "random-1k-i8.safetensors")

    def test_unreadable_settings_are_ignored(self):
        self.settings("{not json")
        self.assertEqual(self.boot()["file"], "random-1k-i8.safetensors")


if __name__ == "__main__":
    unittest.main()
