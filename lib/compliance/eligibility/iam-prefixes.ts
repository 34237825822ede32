import { readDataTsv } from './tsv';

/** IAM service prefixes of the services on the list (data/iam-prefixes.tsv), for the organization SCP. */
export function eligibleIamPrefixes(): string[] {
  const prefixes = new Set<string>();
  for (const row of readDataTsv('iam-prefixes.tsv')) {
    // Rows for tools ("[tool] ...") are operating tools the LZA-HC SCP allows, not list entries; the SCP module keeps
    // its own explicit control-plane prefixes instead.
    if (row.hipaa_list_entry.startsWith('[tool]')) continue;
    for (const prefix of row.iam_prefixes.split(' ').filter(Boolean)) prefixes.add(prefix);
  }
  return [...prefixes].sort();
}
