/** Stack construct IDs. They name the templates in cdk.out and anchor exception paths: never rename them. */
export const STACK_IDS = {
  audit: 'HipaaRtcAudit',
  data: 'HipaaRtcData',
  detect: 'HipaaRtcDetect',
  backupCopy: 'HipaaRtcBackupCopy',
  guardrails: 'HipaaRtcGuardrails',
  relay: 'HipaaRtcRelay',
  signaling: 'HipaaRtcSignaling',
} as const;

/**
 * A further relay Region's stack ID: `<home stack ID>-<region>` (e.g. `HipaaRtcRelay-us-west-2`). The home Region's
 * stacks keep their plain IDs, so adding a Region changes nothing already deployed.
 */
export function regionalStackId(stack: typeof STACK_IDS.relay | typeof STACK_IDS.guardrails, region: string): string {
  return `${stack}-${region}`;
}
