/**
 * Intune's service limits per app and tenant, as Graph's throttling-limits page lists them (its includes for
 * Intune device config v2, applications and devices), and which area a request falls in. Every request counts
 * against its area's "any" limit; POST/PUT/PATCH/DELETE also against its write limit — by request type, so a
 * read that is a POST (retrieve…) counts as one. One place for the figures: the adapter paces itself by them
 * (intunePacer.ts) and the emulator throttles by them (src/sandbox/intuneThrottle.ts).
 */
export type IntuneArea = 'deviceConfigV2' | 'applications' | 'devices';
export type IntuneLimitKind = 'any' | 'write';

export type IntuneLimit = Readonly<Record<IntuneLimitKind, number>>;

/** Graph: service-specific throttling limits, Intune (per app per tenant, 20 s windows). */
export const INTUNE_LIMITS: Readonly<Record<IntuneArea, IntuneLimit>> = {
  deviceConfigV2: { any: 1000, write: 100 },
  applications: { any: 1000, write: 100 },
  devices: { any: 2000, write: 200 },
};
export const INTUNE_WINDOW_MS = 20_000;

const AREAS: readonly { readonly area: IntuneArea; readonly pattern: RegExp }[] = [
  { area: 'deviceConfigV2', pattern: /^\/deviceManagement\/(configurationPolicies|configurationSettings|configurationPolicyTemplates|reusablePolicySettings|configurationCategories)\b/ },
  { area: 'applications', pattern: /^\/deviceAppManagement\/(mobileApps|mobileAppCategories|mobileAppConfigurations)\b/ },
  { area: 'devices', pattern: /^\/deviceManagement\/(deviceManagementScripts|deviceHealthScripts|deviceComplianceScripts|managedDevices)\b/ },
];

/** The Intune area of a path relative to the Graph version (`/deviceManagement/…`), if any. */
export function intuneAreaOf(path: string): IntuneArea | undefined {
  return AREAS.find((each) => each.pattern.test(path))?.area;
}

/** The limits a request counts against: its area's "any", and its write limit unless it is a GET. */
export function intuneLimitKindsOf(method: string): readonly IntuneLimitKind[] {
  return method.toUpperCase() === 'GET' ? ['any'] : ['any', 'write'];
}
