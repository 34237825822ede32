import * as fs from 'node:fs';
import * as path from 'node:path';

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** True while a process with this PID exists (signal 0 checks without signalling; EPERM means it exists). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Builds `dir` once across processes: the first to create `<dir>.lock` builds, the others wait until `dir` exists.
 * The lock holds its owner's PID, so a lock left by a killed run (its owner gone) is taken over at once instead of
 * making every later run wait out `waitMs` and fail.
 */
export function buildOnce(dir: string, build: () => void, waitMs: number): void {
  const lock = `${dir}.lock`;
  const ownerFile = path.join(lock, 'pid');
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const deadline = Date.now() + waitMs;
  while (!fs.existsSync(dir)) {
    let owner = false;
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(ownerFile, String(process.pid));
      owner = true;
    } catch {
      // Another process holds the lock; below we check that it still exists.
    }
    if (owner) {
      try {
        if (!fs.existsSync(dir)) build();
      } finally {
        fs.rmSync(lock, { recursive: true, force: true });
      }
      return;
    }
    let holder = Number.NaN;
    try {
      holder = Number(fs.readFileSync(ownerFile, 'utf8'));
    } catch {
      // The owner has created the lock but not yet written its PID, or has just released it.
    }
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`Waited ${waitMs / 1000} s for ${dir}; if no test run is building it, delete ${lock}`);
    }
    sleep(200);
  }
}
