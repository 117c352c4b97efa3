// Installs the harness's own dependencies (code-server on Node 24, playwright-core) on first use, and checks that
// Debian's Chromium is there. Idempotent: a finished setup for the current lockfile is skipped in a few ms.
// Usage: node test/e2e/setup.mjs   (or import { ensureHarness } from it)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumPath, codeServerEntry, e2eDir, node24Bin, node24Dir, setupStamp } from './lib/paths.mjs';

export class SetupError extends Error {}

function lockHash() {
  return createHash('sha256').update(readFileSync(`${e2eDir}/package-lock.json`)).digest('hex');
}

function checkChromium() {
  if (!existsSync(chromiumPath)) {
    throw new SetupError(
      `Chromium not found at ${chromiumPath}. The UI tests drive Debian's Chromium: install it with\n` +
        '    sudo apt-get install -y chromium libkrb5-dev\n' +
        '(or set PICOFORMER_CHROMIUM to another Chromium binary).',
    );
  }
}

function isReady() {
  return (
    existsSync(setupStamp) &&
    readFileSync(setupStamp, 'utf8').trim() === lockHash() &&
    existsSync(codeServerEntry) &&
    existsSync(node24Bin)
  );
}

function npm(args, env, what) {
  const started = Date.now();
  console.log(`[e2e setup] ${what}: npm ${args.join(' ')}`);
  const result = spawnSync('npm', args, { cwd: e2eDir, env, stdio: 'inherit' });
  if (result.error) throw new SetupError(`${what} failed to start npm: ${result.error.message}`);
  if (result.status !== 0) {
    throw new SetupError(
      `${what} failed (npm exit ${result.status}). code-server builds native addons: on Debian it needs ` +
        '`apt-get install -y libkrb5-dev build-essential python3`.',
    );
  }
  console.log(`[e2e setup] ${what} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * The environment without what an enclosing `npm run`/`npm test` put in it. In particular npm_config_user_agent
 * ("npm/… node/v20…") would be inherited by the inner npm, and code-server's postinstall reads the Node version
 * from it and refuses to build even though Node 24 runs it.
 */
function outsideNpm(env) {
  const Inherited = /^npm_(config_(user_agent|npm_version|node_gyp|local_prefix|global_prefix|prefix)|execpath|node_execpath|lifecycle_|package_|command$)/i;
  return Object.fromEntries(Object.entries(env).filter(([key]) => !Inherited.test(key)));
}

/** Makes sure the harness can run; returns quickly when it already can. Throws SetupError with what to do. */
export function ensureHarness({ quiet = false } = {}) {
  checkChromium();
  if (isReady()) {
    if (!quiet) console.log('[e2e setup] already set up');
    return;
  }
  rmSync(setupStamp, { force: true });
  const plain = { ...outsideNpm(process.env), npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  // Step 1 unpacks everything, Node 24 included, without running install scripts (code-server's would refuse Node 20).
  npm(['ci', '--ignore-scripts', '--no-audit', '--no-fund'], plain, 'unpacking code-server, Node 24, playwright-core');
  const version = spawnSync(node24Bin, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0 || !version.stdout.startsWith('v24.')) {
    throw new SetupError(`expected Node 24 at ${node24Bin}, got: ${version.stdout || version.stderr || version.error}`);
  }
  // Step 2 runs the install scripts under Node 24: npm itself runs on the `node` first on PATH, and native addons
  // build against Node 24's headers (the machine's ~/.npmrc may point nodedir at the system Node).
  const withNode24 = {
    ...plain,
    PATH: `${node24Dir}/bin${delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: node24Dir,
  };
  npm(['rebuild', '--foreground-scripts'], withNode24, 'building code-server for Node 24 (a few minutes, once)');
  if (!existsSync(codeServerEntry)) throw new SetupError(`code-server is missing after install: ${codeServerEntry}`);
  writeFileSync(setupStamp, `${lockHash()}\n`);
  console.log('[e2e setup] ready');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    ensureHarness();
  } catch (err) {
    console.error(`[e2e setup] ${err instanceof SetupError ? err.message : err?.stack ?? err}`);
    process.exit(1);
  }
}
