/**
 * Makes a template snapshot-stable: asset hashes change whenever handler code or its bundle changes, and the
 * snapshot is a drift detector for infrastructure, not for code. Everything else stays as synthesized.
 */
export function normalizeTemplate(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[a-f0-9]{64}(\.zip|\.json)?/g, '[ASSET HASH]'));
}
