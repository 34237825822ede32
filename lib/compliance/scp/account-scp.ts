/**
 * The service control policy synth writes for the management account, assembled from the eligibility data (the IAM
 * prefixes of the list's services and the list's date) and rendered by eligibility-scp.ts. It sits beside the
 * renderer so that what the SCP denies is read in one folder; the evidence writer only writes it.
 */
import { ELIGIBILITY_LIST, eligibleIamPrefixes } from '../eligibility';
import { renderEligibilityScp, type RenderedScp } from './eligibility-scp';

/** The account's eligibility SCP; throws when it would exceed the Organizations size quota. */
export function eligibilityScp(): RenderedScp {
  return renderEligibilityScp(eligibleIamPrefixes(), ELIGIBILITY_LIST.date);
}
