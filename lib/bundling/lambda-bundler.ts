/**
 * Bundles the project's Lambda functions with esbuild's JavaScript API inside the synth process: no `npx esbuild`
 * per function (about 0.45 s of start-up each), and one esbuild build for every entry point that needs bundling,
 * so the AWS SDK is parsed once instead of once per function. Each function still gets its own bundle, byte for byte
 * what a build of that entry alone produces (test/bundling/lambda-bundler.test.ts checks it).
 *
 * Each bundle's asset hash is computed from its inputs (lib/bundling/bundle-hash.ts) and recorded in the assembly
 * (lib/bundling/bundle-cache.ts). A synth into an assembly that already holds the bundles of unchanged sources
 * names the same assets and runs no esbuild at all: aws-cdk-lib skips bundling an asset whose directory exists.
 *
 * On the first bundle a synth needs, every Lambda entry in lambda/ (a module exporting `handler`) is built with it,
 * because the app bundles all of them anyway; an entry elsewhere is built on its own when asked for.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { AssetHashType, DockerImage, Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import * as esbuild from 'esbuild';
import { bundleHash, ownSources, sha256 } from './bundle-hash';
import { readBundleCache, writeBundleCache, type BuildInputs, type BundleCache } from './bundle-cache';
import { STAGING_DIR_NAME, STANDARD_BUILD_OPTIONS, bundleName, bundleOutputDir } from './esbuild-standard';

/** The project root: where package-lock.json, tsconfig.json and lambda/ live. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** A module is a Lambda entry when it exports `handler` (the name every project function is invoked by). */
const EXPORTS_HANDLER = /^export\s+(?:async\s+)?(?:function\s*\*?|const|let)\s*handler\b/m;

/** Every Lambda entry module under `dir`, relative to `root` with `/` separators, sorted. */
export function discoverEntries(root: string, dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((file) => /\.[cm]?tsx?$/.test(file) && !/\.d\.[cm]?ts$|\.test\.tsx?$/.test(file))
    .filter((file) => EXPORTS_HANDLER.test(fs.readFileSync(path.join(dir, file), 'utf8')))
    .map((file) => path.relative(root, path.join(dir, file)).split(path.sep).join('/'))
    .sort();
}

interface BuiltBundle {
  /** Directory holding index.js and index.js.map. */
  readonly dir: string;
  readonly sources: Record<string, string>;
}

/**
 * The early build's worker thread: esbuild's JavaScript API off the main thread, so the build runs while the main
 * thread loads and composes the app. Plain JavaScript (any TypeScript loader may be absent in a worker); it posts
 * the metafile and then raises the shared flag the main thread waits on.
 */
const EARLY_BUILD_WORKER = `
const { workerData } = require('node:worker_threads');
const started = process.hrtime.bigint();
let message;
try {
  const result = require(workerData.esbuild).buildSync(workerData.options);
  message = { metafile: result.metafile, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
} catch (error) {
  message = { error: String((error && error.message) || error) };
}
workerData.port.postMessage(message);
Atomics.store(workerData.signal, 0, 1);
Atomics.notify(workerData.signal, 0);
`;

interface EarlyBuild {
  readonly entries: readonly string[];
  readonly buildDir: string;
  readonly assemblyDir: string;
  readonly port: MessagePort;
  readonly signal: Int32Array;
}

/** Longest the main thread waits for the early build (a build takes about a second; CI under load, more). */
const EARLY_BUILD_TIMEOUT_MS = 300_000;

export class LambdaBundler {
  private static readonly instances = new Map<string, LambdaBundler>();

  /** One bundler per project root and process, so every function of every App in the process shares builds. */
  public static of(root: string = PROJECT_ROOT): LambdaBundler {
    let bundler = LambdaBundler.instances.get(root);
    if (!bundler) {
      bundler = new LambdaBundler(root);
      LambdaBundler.instances.set(root, bundler);
    }
    return bundler;
  }

  /** The entries of each esbuild build this process ran, in order (for tests). */
  public readonly builds: string[][] = [];
  private readonly built = new Map<string, BuiltBundle>();
  private readonly caches = new Map<string, BundleCache>();
  private buildInputsMemo?: BuildInputs;
  private buildCounter = 0;
  private stagingRoot?: string;
  private early?: EarlyBuild;

  private constructor(private readonly root: string) {}

  /**
   * Starts the build of every Lambda entry in lambda/ without a current record in `assemblyDir`, in a worker
   * thread, so that it runs while the app loads and composes (bin/hipaa-rtc.ts calls this first). The first bundle
   * the app asks for waits for it. The worker does not keep the process alive: a synth that bundles nothing exits
   * without waiting.
   */
  public startEarlyBuild(outdir: string): void {
    if (this.early) return;
    const assemblyDir = path.resolve(outdir);
    const cache = this.cacheFor(assemblyDir);
    const entries = discoverEntries(this.root, path.join(this.root, 'lambda')).filter(
      (entry) => !this.isCurrent(entry, cache),
    );
    if (entries.length === 0) return;
    const buildDir = this.nextBuildDir();
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(EARLY_BUILD_WORKER, {
      eval: true,
      workerData: {
        port: port2,
        signal,
        esbuild: require.resolve('esbuild'),
        options: this.buildOptions(entries, buildDir),
      },
      transferList: [port2],
    });
    worker.unref();
    this.early = { entries, buildDir, assemblyDir, port: port1, signal };
  }

  /** Waits for the early build, if one is running, and takes its bundles. */
  private finishEarlyBuild(): void {
    const early = this.early;
    if (!early) return;
    this.early = undefined;
    if (Atomics.wait(early.signal, 0, 0, EARLY_BUILD_TIMEOUT_MS) === 'timed-out') {
      throw new Error(
        `esbuild did not finish bundling ${early.entries.join(', ')} in ${EARLY_BUILD_TIMEOUT_MS / 1000} s`,
      );
    }
    const message = receiveMessageOnPort(early.port)?.message as
      { metafile: esbuild.Metafile; seconds: number } | { error: string } | undefined;
    early.port.close();
    if (!message || 'error' in message) {
      throw new Error(`esbuild could not bundle ${early.entries.join(', ')}: ${message?.error ?? 'no result'}`);
    }
    this.ingest(early.entries, early.buildDir, message.metafile, message.seconds);
    const cache = this.cacheFor(early.assemblyDir);
    for (const entry of early.entries) cache.bundles[entry] = this.built.get(entry)!.sources;
    writeBundleCache(early.assemblyDir, cache);
  }

  /**
   * The code of a function whose handler module is `entry`: an asset bundled by this bundler, or, when the stack
   * is excluded from bundling (`aws:cdk:bundling-stacks`, as unit tests do), a placeholder that runs no esbuild.
   */
  public code(scope: IConstruct, entry: string): lambda.Code {
    const relativeEntry = this.relativeEntry(entry);
    const stage = Stage.of(scope);
    if (!stage) throw new Error(`${scope.node.path}: a bundled Lambda function must be defined inside an App`);
    const assetHash = Stack.of(scope).bundlingRequired
      ? this.assetHash(relativeEntry, stage.assetOutdir)
      : sha256(`not bundled: ${relativeEntry}`);
    return lambda.Code.fromAsset(this.root, {
      assetHash,
      assetHashType: AssetHashType.CUSTOM,
      bundling: {
        // Never used: local bundling always succeeds or throws. aws-cdk-lib requires an image to be named.
        image: DockerImage.fromRegistry('local-esbuild-bundling-only'),
        // A closure, not an object with fields: aws-cdk-lib hashes these options as JSON, which must stay
        // free of paths (functions are left out of JSON).
        local: { tryBundle: (outputDir: string) => this.writeBundle(relativeEntry, assetHash, outputDir) },
      },
    });
  }

  /** The asset hash of `entry`'s bundle, reusing the assembly's record when its sources are unchanged. */
  private assetHash(entry: string, assemblyDir: string): string {
    this.finishEarlyBuild();
    const cache = this.cacheFor(assemblyDir);
    const known = this.built.get(entry)?.sources ?? cache.bundles[entry];
    if (known && this.unchanged(known)) return this.hashOf(entry, known);
    // A build is needed: take every Lambda entry of the project that has no valid record along with it.
    const batch = [entry, ...discoverEntries(this.root, path.join(this.root, 'lambda'))].filter(
      (candidate, index, all) => all.indexOf(candidate) === index && !this.isCurrent(candidate, cache),
    );
    this.build(batch);
    for (const built of batch) cache.bundles[built] = this.built.get(built)!.sources;
    writeBundleCache(assemblyDir, cache);
    return this.hashOf(entry, this.built.get(entry)!.sources);
  }

  private isCurrent(entry: string, cache: BundleCache): boolean {
    const known = this.built.get(entry)?.sources ?? cache.bundles[entry];
    return known !== undefined && this.unchanged(known);
  }

  private hashOf(entry: string, sources: Record<string, string>): string {
    return bundleHash({ entry, ...this.buildInputs(), sources });
  }

  /** Called by aws-cdk-lib when the asset directory does not exist yet. */
  private writeBundle(entry: string, assetHash: string, outputDir: string): boolean {
    this.finishEarlyBuild();
    let bundle = this.built.get(entry);
    if (!bundle) {
      // Named from the assembly's record, but its directory is gone: build it now.
      this.build([entry]);
      bundle = this.built.get(entry)!;
      if (this.hashOf(entry, bundle.sources) !== assetHash) {
        throw new Error(`The sources of ${entry} changed during synth; run the synth again.`);
      }
    }
    for (const file of fs.readdirSync(bundle.dir)) {
      const from = path.join(bundle.dir, file);
      const to = path.join(outputDir, file);
      try {
        fs.linkSync(from, to);
      } catch {
        fs.copyFileSync(from, to);
      }
    }
    return true;
  }

  /** One esbuild build of `entries`, each into its own directory at the same depth below the project root. */
  private build(entries: readonly string[]): void {
    const buildDir = this.nextBuildDir();
    const started = process.hrtime.bigint();
    let result: esbuild.BuildResult<{ metafile: true; write: true }>;
    try {
      result = esbuild.buildSync(this.buildOptions(entries, buildDir));
    } catch (error) {
      throw new Error(`esbuild could not bundle ${entries.join(', ')}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.ingest(entries, buildDir, result.metafile, Number(process.hrtime.bigint() - started) / 1e9);
  }

  private buildOptions(entries: readonly string[], buildDir: string) {
    return {
      ...STANDARD_BUILD_OPTIONS,
      external: [...STANDARD_BUILD_OPTIONS.external],
      absWorkingDir: this.root,
      entryPoints: Object.fromEntries(
        entries.map((entry) => [`${bundleName(entry)}/index`, path.join(this.root, entry)]),
      ),
      outdir: buildDir,
      metafile: true,
      write: true,
    } as const satisfies esbuild.BuildOptions;
  }

  /** Records each entry's bundle directory and own sources from a finished build's metafile. */
  private ingest(entries: readonly string[], buildDir: string, metafile: esbuild.Metafile, seconds: number): void {
    for (const output of Object.values(metafile.outputs)) {
      if (!output.entryPoint) continue;
      const sources = Object.fromEntries(
        ownSources(Object.keys(output.inputs)).map((file) => [file, this.fileHash(file)]),
      );
      this.built.set(output.entryPoint, { dir: bundleOutputDir(buildDir, output.entryPoint), sources });
    }
    const missing = entries.filter((entry) => !this.built.has(entry));
    if (missing.length > 0) throw new Error(`esbuild produced no bundle for ${missing.join(', ')}`);
    this.builds.push([...entries]);
    process.stderr.write(
      `esbuild: bundled ${entries.length} Lambda entry point(s) in one build, ${seconds.toFixed(2)} s\n`,
    );
  }

  private nextBuildDir(): string {
    return path.join(this.staging(), `build-${this.buildCounter++}`);
  }

  private unchanged(sources: Record<string, string>): boolean {
    return Object.entries(sources).every(([file, hash]) => {
      try {
        return this.fileHash(file) === hash;
      } catch {
        return false;
      }
    });
  }

  private fileHash(file: string): string {
    return sha256(fs.readFileSync(path.join(this.root, file)));
  }

  private buildInputs(): BuildInputs {
    this.buildInputsMemo ??= {
      options: JSON.stringify({ esbuild: esbuild.version, ...STANDARD_BUILD_OPTIONS }),
      lockfile: this.fileHash('package-lock.json'),
      tsconfig: this.fileHash('tsconfig.json'),
    };
    return this.buildInputsMemo;
  }

  private cacheFor(assemblyDir: string): BundleCache {
    let cache = this.caches.get(assemblyDir);
    if (!cache) {
      cache = readBundleCache(assemblyDir, this.buildInputs());
      this.caches.set(assemblyDir, cache);
    }
    return cache;
  }

  private relativeEntry(entry: string): string {
    const relative = path.relative(this.root, path.resolve(entry));
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new Error(`Lambda entry ${entry} is outside the project (${this.root})`);
    }
    return relative.split(path.sep).join('/');
  }

  /** This process's build directory under <root>/.cdk.staging, removed when the process exits. */
  private staging(): string {
    if (!this.stagingRoot) {
      const parent = path.join(this.root, STAGING_DIR_NAME);
      fs.mkdirSync(parent, { recursive: true });
      const dir = fs.mkdtempSync(path.join(parent, 'lambda-'));
      process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
      this.stagingRoot = dir;
    }
    return this.stagingRoot;
  }
}
