import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildOnce } from './build-once';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'build-once-'));
}

/** A PID that certainly belonged to a process that has exited (a child we waited for). */
function deadPid(): number {
  const child = spawnSync('true');
  return child.pid!;
}

describe('buildOnce: one build across test processes', () => {
  test('builds when nothing exists, then never again', () => {
    const dir = path.join(tempDir(), 'assembly');
    let builds = 0;
    const build = () => {
      builds += 1;
      fs.mkdirSync(dir);
    };
    buildOnce(dir, build, 1_000);
    buildOnce(dir, build, 1_000);
    expect(builds).toBe(1);
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
  });

  test('a lock left by a killed run (its owner gone) is taken over at once', () => {
    const dir = path.join(tempDir(), 'assembly');
    fs.mkdirSync(`${dir}.lock`);
    fs.writeFileSync(path.join(`${dir}.lock`, 'pid'), String(deadPid()));
    // With a wait of 100 ms, only an immediate takeover can succeed: waiting on the dead owner would throw.
    buildOnce(dir, () => fs.mkdirSync(dir), 100);
    expect(fs.existsSync(dir)).toBe(true);
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
  });

  test('a lock whose owner is alive is waited for, and the wait ends with a message naming the lock', () => {
    const dir = path.join(tempDir(), 'assembly');
    fs.mkdirSync(`${dir}.lock`);
    fs.writeFileSync(path.join(`${dir}.lock`, 'pid'), String(process.pid)); // this process: alive
    let built = false;
    expect(() =>
      buildOnce(
        dir,
        () => {
          built = true;
        },
        500,
      ),
    ).toThrow(`delete ${dir}.lock`);
    expect(built).toBe(false);
  });

  test('a failed build releases the lock, so the next run can try again', () => {
    const dir = path.join(tempDir(), 'assembly');
    expect(() =>
      buildOnce(
        dir,
        () => {
          throw new Error('synth failed');
        },
        1_000,
      ),
    ).toThrow('synth failed');
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
  });
});
