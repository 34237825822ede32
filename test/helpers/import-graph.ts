/**
 * The graph of relative imports between TypeScript files, and its cycles. The walk and the cycle search are written
 * here over node:fs; what a file imports is read by TypeScript's own pre-scanner (`ts.preProcessFile`, from the
 * compiler already in devDependencies), which skips comments and strings, where a regex would not.
 *
 * Counted as an edge: every `import ... from`, `export ... from`, `import './x'`, `require('./x')` and `import('./x')`
 * with a relative specifier, type-only ones too (a cycle of types is still two files that cannot be read one without
 * the other). Package imports ('aws-cdk-lib', 'node:fs') are not part of the project's graph.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

/** Files by absolute path, each with the project files it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

function isTypeScript(file: string): boolean {
  return /\.tsx?$/.test(file) && !file.endsWith('.d.ts');
}

/** Every .ts file under `dir`, skipping node_modules and CDK output. */
export function typeScriptFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('cdk.out')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...typeScriptFiles(full));
    else if (entry.isFile() && isTypeScript(entry.name)) found.push(full);
  }
  return found.sort();
}

/** The relative specifiers a source file imports, in order of appearance. */
export function relativeSpecifiers(source: string): string[] {
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.map((file) => file.fileName)
    .filter((specifier) => specifier.startsWith('./') || specifier.startsWith('../'));
}

/**
 * The file a relative specifier names, as NodeNext and the bundler resolve it: `x` -> x.ts, x.tsx or x/index.ts;
 * `x.js` -> x.ts. Undefined for a file that is not TypeScript (JSON data, assets): not a node of the graph.
 * Throws when nothing matches, naming the importer, so a pattern this walk misreads cannot hide an edge.
 */
export function resolveSpecifier(importer: string, specifier: string): string | undefined {
  const base = resolve(dirname(importer), specifier);
  const candidates = [
    ...(isTypeScript(base) ? [base] : []),
    ...(base.endsWith('.js') ? [base.replace(/\.js$/, '.ts')] : []),
    `${base}.ts`,
    `${base}.tsx`,
    join(base, 'index.ts'),
  ];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (found) return found;
  if (existsSync(base) && statSync(base).isFile()) return undefined;
  throw new Error(`${importer} imports '${specifier}', which resolves to no file (tried ${candidates.join(', ')})`);
}

/** The import graph reachable from every TypeScript file under `roots`, following imports wherever they lead. */
export function importGraph(roots: readonly string[]): ImportGraph {
  const graph = new Map<string, string[]>();
  const pending = roots.flatMap((root) => typeScriptFiles(root));
  // Each file is read once; the queue only grows by files not yet in the graph, so the loop ends.
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (graph.has(file)) continue;
    const targets = relativeSpecifiers(readFileSync(file, 'utf8'))
      .map((specifier) => resolveSpecifier(file, specifier))
      .filter((target): target is string => target !== undefined);
    graph.set(file, [...new Set(targets)]);
    for (const target of targets) if (!graph.has(target) && !target.includes('/node_modules/')) pending.push(target);
  }
  return graph;
}

/**
 * One cycle per strongly connected component that has one (Tarjan), each as the files in import order with the first
 * repeated at the end: `a.ts -> b.ts -> a.ts`. A component can hold more than one cycle; the others show once the
 * named one is broken.
 */
export function findCycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];

  const connect = (node: string): void => {
    index.set(node, counter);
    lowLink.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        lowLink.set(node, Math.min(lowLink.get(node) as number, lowLink.get(next) as number));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node) as number, index.get(next) as number));
      }
    }
    if (lowLink.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfImport = (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfImport) components.push(component);
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);

  return components.map((component) => cycleThrough(graph, new Set(component)));
}

/** A shortest cycle through the component's first file in sorted order (breadth-first inside the component). */
function cycleThrough(graph: ImportGraph, component: ReadonlySet<string>): string[] {
  const start = [...component].sort()[0];
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i += 1) {
    for (const next of graph.get(queue[i]) ?? []) {
      if (!component.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at = queue[i]; at !== start; at = previous.get(at) as string) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, queue[i]);
        queue.push(next);
      }
    }
  }
  throw new Error(`no cycle through ${start}, although it is in a strongly connected component`);
}

/** A cycle as a reader wants it: paths relative to `root`, joined by arrows. */
export function describeCycle(cycle: readonly string[], root: string): string {
  return cycle.map((file) => relative(root, file)).join(' -> ');
}
