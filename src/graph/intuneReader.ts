/**
 * The inventory's Intune readiness reads over Graph (issue 20), every per-item read through JSON batching:
 * a policy's settings and assignments, each app and script with `$expand=assignments`. Answers are parsed one
 * by one (one odd item is reported, the others still count); a 404 means gone; what is still throttled or
 * failing after the batch helper's retries rejects with a GraphError, so the pass ends and is retried later.
 */
import { z } from 'zod';
import type { AssignmentTarget, CloudPcProvisioningPolicy, IntuneReadinessReader, Lookup, PolicyDetails, Readable } from '../inventory/intune';
import type { Traced } from '../provisioning/directory';
import { GraphError } from '../provisioning/graphError';
import { sendBatched, type BatchAnswer, type BatchOptions, type BatchRequest, type BatchTransport } from './batch';
import { collectionSchema, graphErrorBodySchema } from './graphSchemas';
import { assignmentTargetFrom, appFrom, policyAssignmentSchema, provisioningPolicyFrom, provisioningPolicySchema, scriptFrom, selectionFromSettings, zodIssues } from './intuneAppsSchemas';

export interface IntuneReaderDeps {
  readonly batch: BatchTransport;
  /** GET a beta collection, every page (`@odata.nextLink`); rejects with the GraphError of a failed page. */
  readonly listAll: (path: string) => Promise<Traced<readonly unknown[]>>;
  readonly batchOptions?: BatchOptions;
}

const NOT_FOUND = 404;
const FORBIDDEN = 403;

const rawCollection = collectionSchema(z.unknown());

export function createIntuneReader(deps: IntuneReaderDeps): IntuneReadinessReader {
  const send = (requests: readonly BatchRequest[]) => sendBatched(deps.batch, 'beta', requests, deps.batchOptions);

  return {
    async readPolicyDetails(ids) {
      const policyIds = [...new Set(ids)];
      const requests = policyIds.flatMap((id): BatchRequest[] => [
        { key: `settings:${id}`, method: 'GET', url: `${policyPath(id)}/settings` },
        { key: `assignments:${id}`, method: 'GET', url: `${policyPath(id)}/assignments` },
      ]);
      const outcome = await send(requests);
      const details = new Map<string, PolicyDetails>();
      for (const id of policyIds) {
        const settings = answerOf(outcome.answers, `settings:${id}`);
        const assignments = answerOf(outcome.answers, `assignments:${id}`);
        // Deleted since it was listed: nothing to judge (the next pass no longer lists it).
        if (settings.status === NOT_FOUND || assignments.status === NOT_FOUND) continue;
        details.set(id, { selection: readCollection(settings, selectionFromSettings), assignments: readCollection(assignments, targetsOf) });
      }
      return { value: details, requestIds: outcome.requestIds };
    },

    async readApps(appIds) {
      return readEach(appIds, (id) => `/deviceAppManagement/mobileApps/${encodeURIComponent(id)}?$expand=assignments`, appFrom);
    },

    async readScripts(scriptIds) {
      return readEach(scriptIds, (id) => `/deviceManagement/deviceManagementScripts/${encodeURIComponent(id)}?$expand=assignments`, scriptFrom);
    },

    async listCloudPcProvisioningPolicies() {
      let listed: Traced<readonly unknown[]>;
      try {
        listed = await deps.listAll('/deviceManagement/virtualEndpoint/provisioningPolicies');
      } catch (error) {
        // Without CloudPC.Read.All nothing can be said about automatic policies; that is not an outage.
        if (error instanceof GraphError && error.status === FORBIDDEN) return { value: undefined, requestIds: error.requestId ? [error.requestId] : [] };
        throw error;
      }
      const policies: CloudPcProvisioningPolicy[] = [];
      for (const item of listed.value) {
        const parsed = provisioningPolicySchema.safeParse(item);
        // One we cannot read might be the one that uses a policy: then none is judged.
        if (!parsed.success) return { value: undefined, requestIds: listed.requestIds };
        policies.push(provisioningPolicyFrom(parsed.data));
      }
      return { value: policies, requestIds: listed.requestIds };
    },
  };

  async function readEach<T>(asked: readonly string[], url: (id: string) => string, parse: (body: unknown) => Lookup<T>): Promise<Traced<ReadonlyMap<string, Lookup<T>>>> {
    const ids = [...new Set(asked)];
    const outcome = await send(ids.map((id) => ({ key: id, method: 'GET', url: url(id) })));
    const found = new Map<string, Lookup<T>>();
    for (const id of ids) {
      const answer = answerOf(outcome.answers, id);
      found.set(id, answer.status === NOT_FOUND ? { kind: 'notFound' } : parse(answer.body));
    }
    return { value: found, requestIds: outcome.requestIds };
  }
}

/** The answer for `key`, when it is a success or a 404; anything else is an error that ends the pass. */
function answerOf(answers: ReadonlyMap<string, BatchAnswer>, key: string): BatchAnswer {
  const answer = answers.get(key);
  if (!answer) throw new Error(`No batch answer for ${key}: the batch helper answers every request it is given.`);
  if ((answer.status >= 200 && answer.status < 300) || answer.status === NOT_FOUND) return answer;
  throw innerError(answer);
}

function innerError(answer: BatchAnswer): GraphError {
  const parsed = graphErrorBodySchema.safeParse(answer.body);
  const requestId = answer.headers['request-id'];
  return new GraphError({
    status: answer.status,
    code: parsed.success ? parsed.data.error.code : answer.status === 0 ? 'NoBatchAnswer' : `Http${answer.status}`,
    message: parsed.success ? parsed.data.error.message : answer.status === 0 ? 'Graph gave no answer to a request of the batch, after retries.' : `Graph answered ${answer.status} inside a batch.`,
    ...(requestId ? { requestId } : {}),
    clientRequestId: '',
  });
}

function readCollection<T>(answer: BatchAnswer, read: (items: readonly unknown[]) => Readable<T>): Readable<T> {
  const parsed = rawCollection.safeParse(answer.body);
  if (!parsed.success) return { kind: 'unreadable', reason: zodIssues(parsed.error) };
  // Device-preparation policies have a dozen settings and few assignments: a second page is not expected.
  if (parsed.data['@odata.nextLink'] !== undefined) return { kind: 'unreadable', reason: 'Intune answered with more than one page, which the bot does not read here.' };
  return read(parsed.data.value);
}

function targetsOf(items: readonly unknown[]): Readable<readonly AssignmentTarget[]> {
  const targets: AssignmentTarget[] = [];
  for (const item of items) {
    const parsed = policyAssignmentSchema.safeParse(item);
    if (!parsed.success) return { kind: 'unreadable', reason: zodIssues(parsed.error) };
    targets.push(assignmentTargetFrom(parsed.data.target));
  }
  return { kind: 'read', value: targets };
}

function policyPath(policyId: string): string {
  return `/deviceManagement/configurationPolicies('${encodeURIComponent(policyId.replace(/'/g, "''"))}')`;
}
