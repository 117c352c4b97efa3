// Starts code-server (the real VS Code workbench and extension host, on Node 24) on 127.0.0.1 with everything it
// writes kept in a temporary folder, and installs .vsix files into an extensions folder.
import { cpSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { codeServerEntry, node24Bin, node24Dir } from './paths.mjs';
import { killGroup, onExit, spawnGroup } from './processes.mjs';

const UserSettings = {
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'git.autofetch': false,
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // The terminal draws into the DOM (not a WebGL canvas), so tests can read what it shows.
  'terminal.integrated.gpuAcceleration': 'off',
};

/** A free TCP port on 127.0.0.1 (asked of the OS, then released for code-server to take). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A temporary home for one code-server: user data, extensions, XDG folders and its log. */
export function makeServerHome(label = 'e2e') {
  const dir = mkdtempSync(join(tmpdir(), `picoformer-${label}-`));
  for (const sub of ['user/User', 'ext', 'xdg/config', 'xdg/data', 'xdg/cache']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'user/User/settings.json'), JSON.stringify(UserSettings, null, 2));
  return dir;
}

function serverEnv(dir, extra) {
  return {
    ...process.env,
    PATH: `${node24Dir}/bin${delimiter}${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: join(dir, 'xdg/config'),
    XDG_DATA_HOME: join(dir, 'xdg/data'),
    XDG_CACHE_HOME: join(dir, 'xdg/cache'),
    EXTENSIONS_GALLERY: '{}',
    ...extra,
  };
}

function commonArgs(dir, extensionsDir) {
  return [
    codeServerEntry,
    '--config', join(dir, 'config.yaml'),
    '--user-data-dir', join(dir, 'user'),
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
  ];
}

/** Copies a workspace folder into `dir` so tests never write into the repository's sample. */
export function copyWorkspace(from, dir) {
  const to = join(dir, 'workspace');
  cpSync(from, to, { recursive: true });
  return to;
}

/** Installs a .vsix into `extensionsDir` with code-server's own CLI. */
export async function installVsix(vsix, extensionsDir, { timeoutMs = 120_000 } = {}) {
  const dir = makeServerHome('install');
  const forget = onExit(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'config.yaml'), 'auth: none\ncert: false\n');
  try {
    const child = spawnGroup(node24Bin, [...commonArgs(dir, extensionsDir), '--install-extension', vsix], {
      env: serverEnv(dir, {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), timeoutMs);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    await killGroup(child);
    if (code !== 0) throw new Error(`installing ${vsix} failed (${code === 'timeout' ? 'timed out' : `exit ${code}`}):\n${output}`);
    return output.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    forget();
  }
}

/**
 * Starts code-server on 127.0.0.1 and waits until it answers. Options:
 * - `folder`: the workspace it opens; `extensionsDir`: installed extensions (default: an empty one);
 * - `smokeTestDriver`: accept the `payload` URL parameter that runs an extension test suite;
 * - `logFile`: where its output goes (default: inside its temporary folder); `env`: extra environment.
 * Returns `{ url, port, dir, folder, logFile, stop() }`; `stop()` kills its whole process group and removes `dir`.
 */
export async function startCodeServer({ folder, extensionsDir, smokeTestDriver = false, logFile, env = {}, label = 'e2e', port, startTimeoutMs = 60_000 } = {}) {
  const dir = makeServerHome(label);
  port ??= await freePort();
  extensionsDir ??= join(dir, 'ext');
  logFile ??= join(dir, 'code-server.log');
  writeFileSync(join(dir, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    ...commonArgs(dir, extensionsDir),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-file-downloads',
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (folder) args.push(folder);
  const log = createWriteStream(logFile);
  const child = spawnGroup(node24Bin, args, { env: serverEnv(dir, env), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const url = `http://127.0.0.1:${port}/`;
  const removeDir = () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  const forget = onExit(removeDir);
  const stop = async () => {
    await killGroup(child);
    log.end();
    removeDir();
    forget();
  };
  try {
    await waitUntilServing(url, child, startTimeoutMs);
  } catch (err) {
    await killGroup(child);
    const tail = readTail(logFile);
    removeDir();
    forget();
    throw new Error(`${err.message}\n--- code-server output ---\n${tail}`);
  }
  return { url, port, dir, folder, logFile, extensionsDir, stop };
}

function readTail(file, bytes = 4000) {
  try {
    const text = readFileSync(file, 'utf8');
    return text.slice(-bytes);
  } catch {
    return '(no output)';
  }
}

async function waitUntilServing(url, child, timeoutMs) {
  let exited = null;
  child.on('exit', (code, signal) => (exited = signal ?? code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`code-server exited while starting (${exited})`);
    try {
      const res = await fetch(new URL('healthz', url), { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs / 1000} s`);
}
