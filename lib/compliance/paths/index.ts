import { iceReachabilityPaths } from './ice-reachability';
import { logDeliveryPaths } from './log-delivery';
import type { PathResult } from './model';
import { notificationPaths } from './notifications';
import type { TemplateSet } from './template-set';

export * from './model';
export { loadTemplateSet, type TemplateFile } from './load';
export type { StackDoc, TemplateSet } from './template-set';
export { iceReachabilityPaths, notificationPaths, logDeliveryPaths };

/** Every path the product depends on, evaluated hop by hop over the templates. */
export function evaluatePaths(set: TemplateSet): PathResult[] {
  return [...iceReachabilityPaths(set), ...notificationPaths(set), ...logDeliveryPaths(set)];
}
