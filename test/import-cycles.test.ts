/**
 * No import cycles: two files that import each other, directly or around a loop, cannot be read, tested or moved one
 * without the other. lib/ is the product; the second case covers everything else that is not a test (config, lambda,
 * bin, tools, scripts), since a cycle through config/ or a tool reaches back into lib/ as often as not. The walk itself
 * is proved on fixtures first, so a pass means "no cycle", not "the walk saw nothing".
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeCycle, findCycles, importGraph } from './helpers/import-graph';

const ROOT = join(__dirname, '..');

function cyclesUnder(roots: readonly string[], base = ROOT): string[] {
  return findCycles(importGraph(roots.map((root) => join(base, root)))).map((cycle) => describeCycle(cycle, base));
}

describe('the import-graph walk', () => {
  let dir: string;
  const write = (file: string, text: string) => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'import-cycles-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('names a cycle around three files, also when one edge is type-only or a re-export', () => {
    write('src/a.ts', "import { b } from './b';\nexport const a = b;\n");
    write('src/b.ts', "export { c as b } from './nested/c';\n");
    write('src/nested/c.ts', "import type { A } from '../a';\nexport const c = 1 as unknown as A;\n");
    write('src/leaf.ts', "import { a } from './a';\nexport const leaf = a;\n");
    expect(cyclesUnder(['src'], dir)).toEqual(['src/a.ts -> src/b.ts -> src/nested/c.ts -> src/a.ts']);
  });

  test('names a file that imports itself, and each of two separate cycles', () => {
    write('src/self.ts', "import './self';\n");
    write('src/x.ts', "import { y } from './y.js';\nexport const x = y;\n");
    write('src/y.ts', "import { x } from './x';\nexport const y = x;\n");
    expect(cyclesUnder(['src'], dir).sort()).toEqual([
      'src/self.ts -> src/self.ts',
      'src/x.ts -> src/y.ts -> src/x.ts',
    ]);
  });

  test('follows an import out of the walked folder and back in', () => {
    write('lib/a.ts', "import { c } from '../config/c';\nexport const a = c;\n");
    write('config/c.ts', "import { index } from '../lib';\nexport const c = index;\n");
    write('lib/index.ts', "export { a as index } from './a';\n");
    expect(cyclesUnder(['lib'], dir)).toEqual(['config/c.ts -> lib/index.ts -> lib/a.ts -> config/c.ts']);
  });

  test('an import in a comment or a string is no edge; a data file is no node', () => {
    write(
      'src/a.ts',
      "/** import { b } from './b'; */\nconst s = \"import './b'\";\nimport data from './data.json';\n",
    );
    write('src/b.ts', "import './a';\n");
    write('src/data.json', '{}');
    expect(cyclesUnder(['src'], dir)).toEqual([]);
  });

  test('fails, naming the importer, on a relative import that resolves to nothing', () => {
    write('src/a.ts', "import { gone } from './moved-away';\n");
    expect(() => cyclesUnder(['src'], dir)).toThrow(/src\/a\.ts imports '\.\/moved-away', which resolves to no file/);
  });
});

describe('the project', () => {
  test('lib/ has no import cycle', () => {
    expect(cyclesUnder(['lib'])).toEqual([]);
  });

  test('config, lambda, bin, tools and scripts have none either', () => {
    expect(cyclesUnder(['config', 'lambda', 'bin', 'tools', 'scripts'])).toEqual([]);
  });
});
