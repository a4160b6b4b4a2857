/**
 * Adding one assignment of an app or a platform script to a device group (issue 20's one-click fix). Intune's
 * `assign` action replaces every assignment (Intune-PowerShell-SDK#70) and the documented POST to the
 * assignments collection is refused on Intune's assignment collections ("No method match route template"), so:
 * read the assignments, post `assign` with every one read — unchanged — plus the new one, and read them back to
 * check that none was lost. Where the group already has an assignment, nothing is written.
 */
import { z } from 'zod';
import type { AssignOutcome, IntuneAssigner } from '../inventory/intune';
import type { Traced } from '../provisioning/directory';
import { GraphError } from '../provisioning/graphError';
import { assignmentTargetFrom, odataTypeName, zodIssues } from './intuneAppsSchemas';

/** The few JSON calls this needs; 404 on a GET is `undefined`, every other failure rejects with a GraphError. */
export interface IntuneJsonClient {
  get(path: string): Promise<{ readonly body: unknown; readonly requestId: string } | undefined>;
  post(path: string, body: unknown): Promise<{ readonly requestId: string }>;
}

const storedAssignment = z.object({ id: z.string().optional(), target: z.object({ '@odata.type': z.string(), groupId: z.string().nullable().optional() }).passthrough() }).passthrough();
const appWithAssignments = z.object({ '@odata.type': z.string(), assignments: z.array(storedAssignment.extend({ intent: z.string() })) });
const scriptWithAssignments = z.object({ assignments: z.array(storedAssignment) });

/** What an assignment may carry back into `assign`: the read-only `source`/`sourceId` stay out. */
const WRITABLE = ['@odata.type', 'id', 'intent', 'target', 'settings'] as const;

export function createIntuneAssigner(client: IntuneJsonClient): IntuneAssigner {
  return {
    async assignAppToGroup(appId, groupId) {
      const path = `/deviceAppManagement/mobileApps/${encodeURIComponent(appId)}`;
      return addAssignment({
        read: async () => {
          const read = await client.get(`${path}?$expand=assignments`);
          return read && { requestId: read.requestId, parsed: parsedOrThrow(appWithAssignments, read) };
        },
        existingFor: (parsed) => parsed.assignments,
        added: (parsed) => ({
          '@odata.type': '#microsoft.graph.mobileAppAssignment',
          intent: 'required',
          target: groupTarget(groupId),
          // AppX/MSIX install for the device only when the assignment says so (device preparation needs it).
          settings: APPX_TYPES.has(odataTypeName(parsed['@odata.type'])) ? { '@odata.type': '#microsoft.graph.windowsUniversalAppXAppAssignmentSettings', useDeviceContext: true } : null,
        }),
        wanted: (assignment) => 'intent' in assignment && assignment.intent === 'required',
        write: (assignments) => client.post(`${path}/assign`, { mobileAppAssignments: assignments }),
        groupId,
      });
    },

    async assignScriptToGroup(scriptId, groupId) {
      const path = `/deviceManagement/deviceManagementScripts/${encodeURIComponent(scriptId)}`;
      return addAssignment({
        read: async () => {
          const read = await client.get(`${path}?$expand=assignments`);
          return read && { requestId: read.requestId, parsed: parsedOrThrow(scriptWithAssignments, read) };
        },
        existingFor: (parsed) => parsed.assignments,
        added: () => ({ '@odata.type': '#microsoft.graph.deviceManagementScriptAssignment', target: groupTarget(groupId) }),
        wanted: () => true,
        write: (assignments) => client.post(`${path}/assign`, { deviceManagementScriptAssignments: assignments }),
        groupId,
      });
    },
  };
}

const APPX_TYPES: ReadonlySet<string> = new Set(['windowsUniversalAppX', 'windowsAppX']);

type Stored = z.infer<typeof storedAssignment> & { readonly intent?: string };

interface AddAssignment<P> {
  readonly read: () => Promise<{ readonly requestId: string; readonly parsed: P } | undefined>;
  readonly existingFor: (parsed: P) => readonly Stored[];
  readonly added: (parsed: P) => Record<string, unknown>;
  /** Whether an assignment to the group is already the one wanted (apps: required). */
  readonly wanted: (assignment: Stored) => boolean;
  readonly write: (assignments: readonly Record<string, unknown>[]) => Promise<{ readonly requestId: string }>;
  readonly groupId: string;
}

async function addAssignment<P>(steps: AddAssignment<P>): Promise<Traced<AssignOutcome>> {
  const before = await steps.read();
  if (!before) return { value: { kind: 'notFound' }, requestIds: [] };
  const requestIds = [before.requestId];
  const existing = steps.existingFor(before.parsed);
  const toGroup = existing.find((assignment) => pointsAt(assignment, steps.groupId));
  if (toGroup) {
    const exclusion = assignmentTargetFrom(toGroup.target).kind === 'exclusionGroup';
    return { value: !exclusion && steps.wanted(toGroup) ? { kind: 'alreadyAssigned' } : { kind: 'otherAssignment', intent: exclusion ? 'exclude' : (toGroup.intent ?? 'assigned') }, requestIds };
  }
  const written = await steps.write([...existing.map(writable), steps.added(before.parsed)]);
  requestIds.push(written.requestId);

  const after = await steps.read();
  if (!after) return { value: { kind: 'notFound' }, requestIds };
  requestIds.push(after.requestId);
  const afterKeys = new Set(steps.existingFor(after.parsed).map(assignmentKey));
  const missing = existing.filter((assignment) => !afterKeys.has(assignmentKey(assignment))).length;
  const landed = steps.existingFor(after.parsed).some((assignment) => pointsAt(assignment, steps.groupId));
  return { value: missing > 0 || !landed ? { kind: 'assignmentsChanged', missing } : { kind: 'assigned' }, requestIds };
}

function pointsAt(assignment: Stored, groupId: string): boolean {
  const target = assignmentTargetFrom(assignment.target);
  return (target.kind === 'group' || target.kind === 'exclusionGroup') && target.groupId === groupId;
}

/** An assignment as sent back: its writable properties exactly as read. */
function writable(assignment: Stored): Record<string, unknown> {
  const record = assignment as Record<string, unknown>;
  return Object.fromEntries(WRITABLE.filter((name) => record[name] !== undefined).map((name) => [name, record[name]]));
}

/** Identity of an assignment across `assign` (Intune may give it a new id): what it does and to whom. */
function assignmentKey(assignment: Stored): string {
  const target = assignmentTargetFrom(assignment.target);
  return JSON.stringify([assignment.intent ?? '', target]);
}

/** Graph JSON in a shape the write cannot rely on: nothing is written (the adapter's InvalidResponse). */
function parsedOrThrow<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, read: { readonly body: unknown; readonly requestId: string }): T {
  const parsed = schema.safeParse(read.body);
  if (parsed.success) return parsed.data;
  throw new GraphError({ status: 200, code: 'InvalidResponse', message: `Graph returned the assignments in an unexpected shape: ${zodIssues(parsed.error)}`, requestId: read.requestId, clientRequestId: '' });
}

function groupTarget(groupId: string): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId };
}
