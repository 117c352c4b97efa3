// Types of scripts/mpyCross.mjs (plain JavaScript so that scripts/build.mjs can run it without a TypeScript loader).
export declare const COMPILER: string;
export declare const BYTECODE_DIR: string;
export declare const MANIFEST: string;
export declare function compileModule(name: string, source: string): Promise<Uint8Array>;
export declare function buildRuntimeBytecode(
  boardDir: string,
  outDir: string,
): Promise<{ format: number; compiler: string; modules: { source: string; target: string; sourceSha256: string }[] }>;
