// Gathers what planDeploy needs: reads the runtime and model files on this computer (converting models on the fly
// when asked), builds the settings file, and looks at what the drive already holds. Only reads.

import * as path from 'node:path';
import type { DeployFs } from './deployFs';
import { DeployError, classifyWriteError } from './deployErrors';
import { checkTarget, onDrive, targetDir } from './boardPaths';
import { sha256 } from './hash';
import { planDeploy, type DeployPlan, type DeploySource, type DriveState, type ExistingFile, type RuntimeForm } from './planDeploy';
import { type BoardBytecode, boardMpyHeader, bundledBytecodeDir, readBytecode, withHeader } from './precompiled';
import { ModelsDir, SettingsTarget, parseBoardSettings, renderBoardSettings } from './settingsFile';
import { errorCode, errorMessage } from '../types';
import { MaxHeaderLength } from '../../model/safetensors';
import type { LoadMode } from '../protocol/events';

export type DeployModel = { path: string; fileName?: string } | { bytes: Uint8Array; fileName: string; path?: string };

/** Converts a model before it is deployed (for example float to int8); may rename it. */
export type ModelTransform = (model: { fileName: string; bytes: Uint8Array; sourcePath: string }) => Promise<{ bytes: Uint8Array; fileName?: string }>;

export interface DeployRequest {
  drivePath: string;
  /** A folder with code.py and lib/ (the repository's board/). Omit to leave the board's runtime alone. */
  runtimeDir?: string;
  /**
   * Models: a file on this computer (`path`), or bytes already in memory (`bytes` + `fileName`, e.g. a legacy
   * model converted by the caller). `fileName` names it on the board (default: the file's own name).
   */
  models?: readonly DeployModel[];
  /**
   * The model file name (under /models) that /picoformer.json names: default the first deployed model. It may be
   * a model already on the board. null leaves the settings file alone.
   */
  defaultModel?: string | null;
  /** The mode the runtime loads the default model in at start (written to /picoformer.json; default auto). */
  defaultModelMode?: LoadMode;
  /** "Convert on the fly": applied to every model before it is planned. */
  modelTransform?: ModelTransform;
  /** Write files even when the board already has them. */
  force?: boolean;
  /** Delete runtime modules the new runtime no longer has (inside its own lib/ package folders only). Default true. */
  pruneRuntime?: boolean;
  /**
   * What the board's runtime reported about itself (`ready`: impl, mpy). When it imports the precompiled runtime,
   * the lib/ modules go as .mpy (with the board's header) instead of .py; unknown (undefined): .py.
   */
  board?: BoardBytecode;
  /** The precompiled runtime (scripts/mpyCross.mjs); default dist/board-mpy beside the runtime folder. */
  bytecodeDir?: string;
}

const RuntimeExtensions = /\.(py|mpy)$/i;

/** The cheapest check that a file is safetensors: the 8-byte header length and a JSON object after it. */
export function checkSafetensors(bytes: Uint8Array, name: string): void {
  const fail = (why: string) => {
    throw new DeployError('bad-source', `${name} is not a safetensors model file: ${why}.`);
  };
  if (bytes.length < 10) fail(`it has only ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength < 2 || headerLength > MaxHeaderLength) fail(`its header length ${headerLength} is not between 2 and ${MaxHeaderLength}`);
  if (8 + headerLength > bytes.length) fail('the file ends inside its header (truncated?)');
  if (bytes[8] !== 0x7b) fail('the header is not a JSON object');
}

async function readSource(fs: DeployFs, file: string, what: string): Promise<Uint8Array> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    const reason = errorCode(error) === 'ENOENT' ? 'not found' : errorMessage(error);
    throw new DeployError('bad-source', `Cannot read the ${what} ${file}: ${reason}.`);
  }
}

/** code.py and every .py/.mpy under lib/ (no caches, no hidden files), as board targets. */
async function readRuntime(fs: DeployFs, runtimeDir: string): Promise<DeploySource[]> {
  const sources: DeploySource[] = [];
  const codePath = path.join(runtimeDir, 'code.py');
  sources.push({ target: 'code.py', kind: 'code', bytes: await readSource(fs, codePath, 'runtime entry point'), origin: codePath });
  const walk = async (relative: string): Promise<void> => {
    const dir = path.join(runtimeDir, ...relative.split('/'));
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      return;
    }
    for (const name of [...names].sort()) {
      if (name.startsWith('.') || name === '__pycache__') continue;
      const target = `${relative}/${name}`;
      const hostPath = path.join(dir, name);
      const stat = await fs.stat(hostPath);
      if (stat.isDirectory) await walk(target);
      else if (stat.isFile && RuntimeExtensions.test(name)) sources.push({ target, kind: 'runtime', bytes: await readSource(fs, hostPath, 'runtime file'), origin: hostPath });
    }
  };
  await walk('lib');
  if (sources.length === 1) throw new DeployError('bad-source', `The runtime folder ${runtimeDir} has code.py but no lib/ modules.`);
  return sources;
}

async function readModels(fs: DeployFs, request: DeployRequest): Promise<DeploySource[]> {
  const sources: DeploySource[] = [];
  for (const model of request.models ?? []) {
    const origin = model.path ?? model.fileName ?? '(model)';
    let bytes = 'bytes' in model && model.bytes ? model.bytes : await readSource(fs, origin, 'model');
    let fileName = model.fileName ?? path.basename(origin);
    if (request.modelTransform) {
      try {
        const converted = await request.modelTransform({ fileName, bytes, sourcePath: origin });
        bytes = converted.bytes;
        fileName = converted.fileName ?? fileName;
      } catch (error) {
        throw new DeployError('bad-source', `Converting ${origin} for the board failed: ${errorMessage(error)}`);
      }
    }
    if (!/\.safetensors$/i.test(fileName)) throw new DeployError('bad-source', `Model files on the board must end in .safetensors: "${fileName}".`);
    checkSafetensors(bytes, fileName);
    const target = `${ModelsDir}/${fileName}`;
    checkTarget(target);
    sources.push({ target, kind: 'model', bytes, origin });
  }
  return sources;
}

async function existingFile(fs: DeployFs, drivePath: string, source: DeploySource): Promise<ExistingFile | undefined> {
  try {
    const stat = await fs.stat(onDrive(drivePath, source.target));
    if (!stat.isFile) return { size: stat.size };
    // Only a file of the same size can be unchanged: read and hash just those.
    return stat.size === source.bytes.length ? { size: stat.size, sha256: sha256(await fs.readFile(onDrive(drivePath, source.target))) } : { size: stat.size };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw classifyWriteError(error, drivePath, source.target);
  }
}

async function boardModels(fs: DeployFs, drivePath: string): Promise<{ name: string; size: number }[]> {
  let names: string[];
  try {
    names = await fs.readdir(onDrive(drivePath, ModelsDir));
  } catch {
    return [];
  }
  const models: { name: string; size: number }[] = [];
  for (const name of names.filter((n) => /\.safetensors$/i.test(n) && !n.startsWith('.')).sort()) {
    const stat = await fs.stat(onDrive(drivePath, `${ModelsDir}/${name}`)).catch(() => undefined);
    if (stat?.isFile) models.push({ name, size: stat.size });
  }
  return models;
}

/** The lib/ modules as .mpy when the board takes the bundled bytecode, else unchanged; and which it is, and why. */
async function chooseForm(fs: DeployFs, request: DeployRequest & { runtimeDir: string }, runtime: DeploySource[]): Promise<{ sources: DeploySource[]; form: RuntimeForm }> {
  const header = boardMpyHeader(request.board);
  if (!header) {
    const why = request.board ? `${request.board.impl} reports mpy ${request.board.mpy ?? 'nothing'}, which the precompiled runtime does not match` : 'the board has not reported which bytecode it imports';
    return { sources: runtime, form: { form: 'py', reason: why } };
  }
  const modules = new Map(runtime.filter((s) => s.kind === 'runtime' && /\.py$/.test(s.target)).map((s) => [s.target, s.bytes]));
  const dir = request.bytecodeDir ?? bundledBytecodeDir(request.runtimeDir);
  const bytecode = await readBytecode(fs, dir, modules);
  if (!bytecode.ok) return { sources: runtime, form: { form: 'py', reason: bytecode.reason } };
  const sources = runtime.map((s): DeploySource => {
    const mpy = bytecode.modules.get(s.target);
    return mpy ? { target: `${s.target.slice(0, -3)}.mpy`, kind: 'runtime', bytes: withHeader(mpy, header), origin: `${s.origin ?? s.target} (${bytecode.compiler})` } : s;
  });
  return { sources, form: { form: 'mpy', reason: `${request.board?.impl} imports mpy ${(request.board?.mpy ?? 0) & 0xff}` } };
}

export async function prepareDeploy(request: DeployRequest, fs: DeployFs): Promise<DeployPlan> {
  const drivePath = request.drivePath;
  let space: { bsize: number; bavail: number };
  try {
    space = await fs.statfs(drivePath);
  } catch (error) {
    throw new DeployError('drive-vanished', `The drive ${drivePath} is not available (${errorCode(error) ?? errorMessage(error)}): is the board plugged in and its drive mounted?`);
  }
  if (!(await fs.stat(drivePath).catch(() => undefined))?.isDirectory) {
    throw new DeployError('not-a-drive', `${drivePath} is a file, not a drive's folder: name the CIRCUITPY drive's folder (such as /media/you/CIRCUITPY or E:\\).`);
  }

  let runtimeForm: RuntimeForm | undefined;
  let runtime: DeploySource[] = [];
  if (request.runtimeDir) {
    ({ sources: runtime, form: runtimeForm } = await chooseForm(fs, { ...request, runtimeDir: request.runtimeDir }, await readRuntime(fs, request.runtimeDir)));
  }
  const sources = [...(await readModels(fs, request)), ...runtime];
  const onBoard = await boardModels(fs, drivePath);

  const deployedModels = sources.filter((s) => s.kind === 'model').map((s) => s.target.slice(ModelsDir.length + 1));
  const defaultModel = request.defaultModel === undefined ? deployedModels[0] : request.defaultModel;
  if (defaultModel) {
    if (!deployedModels.includes(defaultModel) && !onBoard.some((m) => m.name === defaultModel)) {
      throw new DeployError('bad-source', `The default model ${defaultModel} is neither being deployed nor on the board.`);
    }
    const current = await fs.readFile(onDrive(drivePath, SettingsTarget)).catch(() => undefined);
    sources.push({ target: SettingsTarget, kind: 'settings', bytes: renderBoardSettings(parseBoardSettings(current), defaultModel, request.defaultModelMode) });
  }

  const existing: Record<string, ExistingFile | undefined> = {};
  for (const source of sources) existing[source.target] = await existingFile(fs, drivePath, source);

  const missingDirs: string[] = [];
  for (const dir of new Set(sources.map((s) => targetDir(s.target)).filter(Boolean))) {
    const stat = await fs.stat(onDrive(drivePath, dir)).catch(() => undefined);
    if (!stat?.isDirectory) missingDirs.push(dir);
  }

  const obsoleteRuntime: string[] = [];
  if (request.runtimeDir && request.pruneRuntime !== false) {
    const newRuntime = new Set(sources.filter((s) => s.kind === 'runtime').map((s) => s.target.toLowerCase()));
    const packageDirs = new Set(sources.filter((s) => s.kind === 'runtime').map((s) => targetDir(s.target)).filter((d) => d.startsWith('lib/')));
    for (const dir of packageDirs) {
      const names = await fs.readdir(onDrive(drivePath, dir)).catch(() => [] as string[]);
      for (const name of names) {
        const target = `${dir}/${name}`;
        if (RuntimeExtensions.test(name) && !newRuntime.has(target.toLowerCase())) obsoleteRuntime.push(target);
      }
    }
  }

  const drive: DriveState = { path: drivePath, freeBytes: space.bavail * space.bsize, blockSize: space.bsize, existing, boardModels: onBoard, missingDirs, obsoleteRuntime };
  return planDeploy(sources, drive, { force: request.force, ...(runtimeForm ? { runtimeForm } : {}) });
}
