// Loads MicroPython (WebAssembly, pyscript variant) inside the worker, with hooks spliced into the interpreter's
// imports: the wasm code calls `invoke_*` (exception trampolines) constantly while Python runs, and `mp_js_ticks_ms`
// in time.sleep's busy loop. Those calls are the only moments a running program can be reached, so that is where
// Ctrl-C and auto-reload are delivered (via _mp_sched_keyboard_interrupt) and where sleeps are made to really sleep.

import { pathToFileURL } from 'node:url';

/** The parts of the Emscripten filesystem the virtual drive uses. */
export interface EmscriptenFs {
  mkdir(path: string): void;
  writeFile(path: string, data: Uint8Array | string): void;
  readFile(path: string): Uint8Array;
  readdir(path: string): string[];
  stat(path: string): { mode: number; size: number };
  isDir(mode: number): boolean;
  unlink(path: string): void;
  rmdir(path: string): void;
}

/** A Python object seen from JS. */
export type PyObject = Record<string, (...args: unknown[]) => unknown>;

export interface MicroPython {
  _module: { _mp_sched_keyboard_interrupt(): void };
  FS: EmscriptenFs;
  runPython(code: string): unknown;
  registerJsModule(name: string, module: object): void;
  pyimport(name: string): PyObject;
  globals: { get(name: string): unknown };
  replInit(): void;
  replProcessChar(byte: number): number;
}

/** A Python exception as thrown into JS. */
export interface PythonError extends Error {
  type: string;
}

export function isPythonError(err: unknown): err is PythonError {
  return err instanceof Error && typeof (err as PythonError).type === 'string';
}

export interface InterpreterHooks {
  /** Called every few hundred interpreter-to-JS calls while Python runs. */
  poll(): void;
  /** Called on each time query; `ms` is the value returned. */
  ticks(ms: number): void;
}

interface LoadOptions {
  heapsize: number;
  stdout: (bytes: Uint8Array) => void;
  stderr: (bytes: Uint8Array) => void;
  linebuffer: false;
}

type Loader = (options: LoadOptions) => Promise<MicroPython>;

const POLL_EVERY = 256;
let activeHooks: InterpreterHooks | undefined;
let loader: Loader | undefined;

type Instantiate = (source: unknown, imports?: { env?: Record<string, unknown> }) => Promise<unknown>;

function patchInstantiate(): void {
  // lib.dom (where TypeScript declares WebAssembly) is not part of this Node project's libs.
  const wasm = (globalThis as unknown as { WebAssembly: { instantiate: Instantiate } }).WebAssembly;
  const original = wasm.instantiate;
  wasm.instantiate = function (this: unknown, source, imports) {
    if (imports?.env) wrapImports(imports.env);
    return original.call(this, source, imports);
  };
}

function wrapImports(env: Record<string, unknown>): void {
  let calls = 0;
  for (const name of Object.keys(env)) {
    const fn = env[name];
    if (typeof fn !== 'function') continue;
    if (name.startsWith('invoke_')) {
      env[name] = function (a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, f: unknown, g: unknown) {
        if (++calls >= POLL_EVERY) {
          calls = 0;
          activeHooks?.poll();
        }
        return fn(a, b, c, d, e, f, g);
      };
    } else if (name === 'mp_js_ticks_ms') {
      env[name] = () => {
        const ms = fn() as number;
        activeHooks?.ticks(ms);
        return ms;
      };
    }
  }
}

/** A fresh interpreter (a soft reboot gets a new one, as the board gets a fresh heap). */
export async function loadMicroPython(modulePath: string, options: LoadOptions, hooks: InterpreterHooks): Promise<MicroPython> {
  if (!loader) {
    patchInstantiate();
    // Keep the import dynamic and out of reach of the bundler: the .mjs finds its .wasm next to itself.
    const dynamicImport = new Function('url', 'return import(url)') as (url: string) => Promise<{ loadMicroPython: Loader }>;
    loader = (await dynamicImport(pathToFileURL(modulePath).href)).loadMicroPython;
  }
  activeHooks = undefined;
  const mp = await loader(options);
  activeHooks = hooks;
  return mp;
}
