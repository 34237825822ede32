/**
 * The HIPAA-eligible services list this gate enforces. One source for the synth rule, the CLI, the Guard Hook rules,
 * the SCP and the compliance report: every finding quotes `date` and `source`, so a reviewer always knows which list
 * a verdict came from. Refresh procedure: docs/eligibility-list.md.
 */
export const ELIGIBILITY_LIST = {
  /** The date of the list as AWS published it (not the day it was transcribed here). */
  date: '2026-05-22',
  source: 'https://aws.amazon.com/compliance/hipaa-eligible-services-reference/',
  /** The live page was not readable from the build machine; this transcription by AWS carries the same list. */
  transcription:
    'aws-samples/landing-zone-accelerator-on-aws-for-healthcare config/service-control-policies/Readme.md ' +
    '("aligns with the list of published eligible services dated May 22, 2026")',
  /** Entries on the list as transcribed. */
  entries: 173,
} as const;
