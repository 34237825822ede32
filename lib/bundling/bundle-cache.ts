/**
 * The record a synth leaves next to its assets (`<assembly>/lambda-bundles.json`) so that the next synth into the
 * same directory can name each bundle's asset without running esbuild: for every bundle, the project files it was
 * built from and their content hashes, plus the build-wide inputs (options, lockfile, tsconfig). A bundle is reused
 * only when every one of those still hashes the same; any change, or an unreadable record, means a fresh build.
 *
 * Known limit: a new file that changes how an unchanged import resolves (adding `x.ts` next to an existing
 * `x/index.ts`) is not noticed. Any edit to an importing file, the lockfile or the options is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const BUNDLE_CACHE_FILE = 'lambda-bundles.json';
const FORMAT = 1;

export interface BuildInputs {
  readonly options: string;
  readonly lockfile: string;
  readonly tsconfig: string;
}

export interface BundleCache extends BuildInputs {
  readonly format: typeof FORMAT;
  /** Entry (project-relative) -> its own sources (project-relative path -> sha256). */
  readonly bundles: Record<string, Record<string, string>>;
}

/** The record in `dir` if it was written for the same build inputs; otherwise an empty one for them. */
export function readBundleCache(dir: string, inputs: BuildInputs): BundleCache {
  const empty: BundleCache = { format: FORMAT, ...inputs, bundles: {} };
  let parsed: Partial<BundleCache>;
  try {
    parsed = JSON.parse(fs.readFileSync(path.join(dir, BUNDLE_CACHE_FILE), 'utf8')) as Partial<BundleCache>;
  } catch {
    return empty;
  }
  const sameInputs =
    parsed.format === FORMAT &&
    parsed.options === inputs.options &&
    parsed.lockfile === inputs.lockfile &&
    parsed.tsconfig === inputs.tsconfig &&
    typeof parsed.bundles === 'object' &&
    parsed.bundles !== null;
  return sameInputs ? { ...empty, bundles: { ...parsed.bundles } } : empty;
}

export function writeBundleCache(dir: string, cache: BundleCache): void {
  fs.mkdirSync(dir, { recursive: true });
  const sorted = Object.fromEntries(
    Object.keys(cache.bundles)
      .sort()
      .map((entry) => [entry, cache.bundles[entry]]),
  );
  fs.writeFileSync(path.join(dir, BUNDLE_CACHE_FILE), `${JSON.stringify({ ...cache, bundles: sorted }, null, 2)}\n`);
}
