import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Reads one of the tab-separated data files under ./data. The data stays TSV, not code, so that a list refresh is a
 * reviewable line diff (docs/eligibility-list.md). Throws on a malformed row: bad data must never become a verdict.
 */
export function readDataTsv(fileName: string): Array<Record<string, string>> {
  const file = path.join(__dirname, 'data', fileName);
  const [header, ...lines] = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);
  const columns = header.split('\t');
  return lines.map((line, index) => {
    const cells = line.split('\t');
    if (cells.length !== columns.length) {
      throw new Error(`${file}:${index + 2}: expected ${columns.length} tab-separated cells, found ${cells.length}`);
    }
    return Object.fromEntries(columns.map((column, i) => [column, cells[i]]));
  });
}
