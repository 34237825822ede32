/**
 * What every project Lambda bundle is built with, in one place: the same esbuild settings NodejsFunction passed to
 * the esbuild CLI for nodeFunctionStandard (bundle, platform node, target node24, CommonJS, minified, source maps
 * with sources content, nothing external, so the AWS SDK is bundled), plus the two choices that make the output
 * independent of where it is built:
 *   - source maps record paths relative to the output file, so every bundle is built at the same depth below the
 *     project root (`<root>/.cdk.staging/<build>/<bundle>/index.js`, see {@link bundleOutputDir});
 *   - symlinks are kept as written (`preserveSymlinks`), so a checkout whose node_modules is a symlink (a git
 *     worktree) records `node_modules/...` like a plain `npm ci` checkout instead of the link's target.
 * Pure data and pure functions: no CDK, no file system.
 */
import * as path from 'node:path';
import type { BuildOptions } from 'esbuild';

/** The esbuild options of every bundle (entry points and output paths are added per build). */
export const STANDARD_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  sourcesContent: true,
  external: [],
  preserveSymlinks: true,
  logLevel: 'warning',
} as const satisfies BuildOptions;

/** Where the builds of one process are written before they move into the cloud assembly (git-ignored). */
export const STAGING_DIR_NAME = '.cdk.staging';

/**
 * A bundle's name: its entry path below the project root, without extension, with `/` as `-`
 * (`lambda/signaling/join.ts` -> `lambda-signaling-join`). One path segment, so every bundle sits at the same depth.
 * @param relativeEntry the entry, relative to the project root, with `/` separators
 */
export function bundleName(relativeEntry: string): string {
  if (path.posix.isAbsolute(relativeEntry) || relativeEntry.split('/').includes('..')) {
    throw new Error(`Lambda entry ${relativeEntry} must be a path inside the project (relative, no "..")`);
  }
  return relativeEntry.replace(/\.[cm]?[jt]sx?$/, '').replace(/\//g, '-');
}

/** The directory one bundle is written to inside a build directory: `<buildDir>/<bundleName>`. */
export function bundleOutputDir(buildDir: string, relativeEntry: string): string {
  return path.join(buildDir, bundleName(relativeEntry));
}
