import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RenderedScp } from './eligibility-scp';

export const SCP_FILENAME = 'hipaa-eligibility-scp.json';

/** Writes the SCP document into the assembly directory, ready for `aws organizations create-policy --content file://...`. */
export function writeScp(outdir: string, scp: RenderedScp): string {
  fs.mkdirSync(outdir, { recursive: true });
  const file = path.join(outdir, SCP_FILENAME);
  // Minified: Organizations counts whitespace sent through the API against the 5,120-character quota.
  fs.writeFileSync(file, `${JSON.stringify(scp.document)}\n`);
  return file;
}
