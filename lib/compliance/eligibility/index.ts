/** The HIPAA-eligibility data and the one decision function every enforcement point shares. */
export { ELIGIBILITY_LIST } from './list';
export { judgeResourceType, ALLOWED_CLASSES, type EligibilityClass, type EligibilityVerdict } from './judge';
export {
  classifyServiceToken,
  describeServiceToken,
  eligibleServiceTokenService,
  isCustomResourceType,
  type ServiceTokenContext,
  type ServiceTokenTarget,
  type TemplateResourceLike,
} from './custom-resources';
export { knownResourceTypes, isKnownResourceType, knownResourceTypesSource } from './resource-types';
export { namespaceEntries, namespaceOf, type NamespaceEntry, type NamespaceDecision } from './namespaces';
export { typeDecisions, type TypeDecision } from './type-decisions';
export { EXCLUDED_TYPES, GATE_MANAGEMENT_TYPES, gateManagementReason, TOOLING_TYPES } from './type-conditions';
export { eligibleIamPrefixes } from './iam-prefixes';
export { countTypesByClass } from './summary';
