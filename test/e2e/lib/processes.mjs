// Child processes in their own process group (setsid), so that stopping one stops every helper it spawned, and a
// registry that stops them all when this process exits, fails or is interrupted.
import { spawn } from 'node:child_process';

const live = new Set();
const cleanups = new Set();

/** Registers a synchronous cleanup (e.g. removing a temporary folder) run at exit; returns a function to unregister it. */
export function onExit(cleanup) {
  hookExit();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Kills a detached child's whole process group: SIGTERM, then SIGKILL after `graceMs` if anything is left. */
export async function killGroup(child, graceMs = 3000) {
  live.delete(child);
  if (child.pid === undefined) return;
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
      return true;
    } catch {
      return false; // the group is already gone
    }
  };
  if (!signalGroup('SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    if (!signalGroup(0)) return;
  }
  signalGroup('SIGKILL');
}

function killAllNow() {
  for (const child of live) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // best effort: we are exiting
    }
  }
  cleanups.clear();
}

let hooked = false;
function hookExit() {
  if (hooked) return;
  hooked = true;
  // 'exit' runs synchronously on every normal exit, including process.exit() after a failure.
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      console.error(`\n[picoformer] ${signal}: stopping child processes`);
      killAllNow();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/** Spawns a command as the leader of a new process group; it is killed (with its group) when this process ends. */
export function spawnGroup(command, args, options = {}) {
  hookExit();
  const child = spawn(command, args, { ...options, detached: true });
  live.add(child);
  return child;
}

/** Stops every process group started here (for a clean shutdown before exiting). */
export async function stopAll() {
  await Promise.all([...live].map((child) => killGroup(child)));
}
