// Finds and reads a legacy trio on disk from its folder or its config_<N>p.json.
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fail } from './errors';
import type { LegacyTrio } from './legacy';

const ConfigName = /^config_(\d+)p\.json$/;

/** Reads the three files; `path` is the folder holding them or the config file itself. */
export async function readLegacyTrio(path: string): Promise<LegacyTrio> {
  const info = await stat(path);
  let folder: string;
  let configFile: string;
  if (info.isDirectory()) {
    folder = path;
    const configs = (await readdir(path)).filter((f) => ConfigName.test(f)).sort();
    if (configs.length === 0) fail('legacy_invalid', `no config_<N>p.json in ${path}`);
    if (configs.length > 1) fail('legacy_invalid', `${path} holds several legacy configs (${configs.join(', ')}): name one`);
    configFile = configs[0];
  } else {
    folder = dirname(path);
    configFile = basename(path);
    if (!ConfigName.test(configFile)) fail('legacy_invalid', `${configFile} is not named config_<N>p.json`);
  }
  const n = (ConfigName.exec(configFile) as RegExpExecArray)[1];
  const read = async (name: string): Promise<Uint8Array> => {
    try {
      return new Uint8Array(await readFile(join(folder, name)));
    } catch {
      return fail('legacy_invalid', `missing ${name} beside ${configFile} in ${folder}`);
    }
  };
  const [configBytes, model, vocab] = await Promise.all([read(configFile), read(`model_${n}p.bin`), read(`vocab_${n}p.bin`)]);
  return { name: basename(folder), configText: new TextDecoder().decode(configBytes), model, vocab };
}
