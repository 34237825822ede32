/**
 * Which EC2 instance types are Graviton (arm64): the relays' image and coturn build are arm64 only. One pattern for
 * the config schema (refused at load time, naming the field) and the Relay stack's settings check (refused at synth
 * time, for callers that build the stack without the config).
 */

/** Graviton families carry a "g" after the generation digit (c7g, c7gn, m7g, t4g, r8gd, ...). */
export const GRAVITON_INSTANCE_TYPE = /^[a-z]+\d+g[a-z]*\.[a-z0-9]+$/;

export function isGravitonInstanceType(instanceType: string): boolean {
  return GRAVITON_INSTANCE_TYPE.test(instanceType);
}
