/**
 * The asset hash of a Lambda bundle, from what goes into it and nothing else: the project's own source files the
 * bundle includes (path and content), the lockfile (which fixes every node_modules file it includes), the
 * TypeScript config, the esbuild version and options. Not the output directory, the checkout path or the clock.
 * Pure: callers read the files.
 */
import { createHash } from 'node:crypto';

export interface BundleHashInput {
  /** The entry, relative to the project root, `/` separators. */
  readonly entry: string;
  /** Stable description of the build options (esbuild version and options). */
  readonly options: string;
  /** sha256 of package-lock.json. */
  readonly lockfile: string;
  /** sha256 of tsconfig.json (esbuild reads it for TypeScript settings). */
  readonly tsconfig: string;
  /** The bundle's own (non-node_modules) inputs: project-relative path -> sha256 of content. */
  readonly sources: Readonly<Record<string, string>>;
}

/** Format of the hash input; bump it when the meaning of any field changes. */
const HASH_FORMAT = 'hipaa-rtc-lambda-bundle/1';

export function bundleHash(input: BundleHashInput): string {
  const hash = createHash('sha256');
  const sources = Object.keys(input.sources)
    .sort()
    .map((file) => [file, input.sources[file]]);
  hash.update(JSON.stringify([HASH_FORMAT, input.entry, input.options, input.lockfile, input.tsconfig, sources]));
  return hash.digest('hex');
}

export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * The inputs of one bundle that the lockfile does not already pin: esbuild's metafile lists every input relative
 * to the working directory; node_modules files are fixed by the lockfile, everything else is the project's source.
 */
export function ownSources(metafileInputs: readonly string[]): string[] {
  return metafileInputs.filter((input) => !input.split('/').includes('node_modules')).sort();
}
