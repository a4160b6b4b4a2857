/**
 * The one-click fix of a readiness finding (issue 20): assign a selected app (as required) or script to the
 * policy's device group. Nothing from the card is trusted but ids: the policy's selection and the app or script
 * are read again, the assessment that made the finding is made again, and the one assignment is added only
 * while that finding still holds and still has this fix. Every other outcome is said in words.
 */
import type { Traced } from '../provisioning/directory';
import { GraphError } from '../provisioning/graphError';
import type { AssignOutcome, IntuneApp, IntuneAssigner, IntuneReadinessReader, IntuneScript, Lookup } from './intune';
import { ASSIGN_BY_HAND, assessReadiness } from './readiness';
import type { AssignFixOutcome, ReadinessFixer } from './types';

export interface ReadinessFixerDeps {
  readonly reader: IntuneReadinessReader;
  readonly assigner: IntuneAssigner;
}

const NOT_ASSIGNED = new Set(['appNotAssignedToGroup', 'scriptNotAssignedToGroup']);
const NOT_FOUND = { kind: 'notFound' } as const;

export function createReadinessFixer(deps: ReadinessFixerDeps): ReadinessFixer {
  const { reader, assigner } = deps;
  return {
    async assignToDeviceGroup(subject) {
      const requestIds: string[] = [];
      const traced = (value: AssignFixOutcome): Traced<AssignFixOutcome> => ({ value, requestIds });
      const { fix } = subject;

      const details = await reader.readPolicyDetails([subject.policyId]);
      requestIds.push(...details.requestIds);
      const policy = details.value.get(subject.policyId);
      if (!policy) return traced({ kind: 'policyNotFound' });
      if (policy.selection.kind === 'unreadable') return traced({ kind: 'unreadable', reason: policy.selection.reason });
      const selection = policy.selection.value;
      const selected = fix.kind === 'app' ? selection.apps.some((app) => app.id === fix.id) : selection.scriptIds.includes(fix.id);
      if (!selected) return traced({ kind: 'notSelected' });

      const apps = new Map<string, Lookup<IntuneApp>>();
      const scripts = new Map<string, Lookup<IntuneScript>>();
      let lookup: Lookup<IntuneApp> | Lookup<IntuneScript>;
      if (fix.kind === 'app') {
        const read = await reader.readApps([fix.id]);
        requestIds.push(...read.requestIds);
        const app = read.value.get(fix.id) ?? NOT_FOUND;
        apps.set(fix.id, app);
        lookup = app;
      } else {
        const read = await reader.readScripts([fix.id]);
        requestIds.push(...read.requestIds);
        const script = read.value.get(fix.id) ?? NOT_FOUND;
        scripts.set(fix.id, script);
        lookup = script;
      }
      if (lookup.kind === 'notFound') return traced({ kind: 'notFound' });
      if (lookup.kind === 'unreadable') return traced({ kind: 'unreadable', reason: lookup.reason });
      const { displayName } = lookup.value;

      // The finding as the inventory would make it now, for this one app or script.
      const findings = assessReadiness({
        scenario: subject.scenario,
        policyId: subject.policyId,
        deviceGroupId: subject.groupId,
        deviceGroupName: subject.groupName,
        details: { selection: { kind: 'read', value: { apps: selection.apps.filter((app) => app.id === fix.id), scriptIds: fix.kind === 'script' ? [fix.id] : [], problems: [] } }, assignments: { kind: 'read', value: [] } },
        apps,
        scripts,
        provisioningPolicies: undefined,
      });
      // An app of a type the bot cannot check is never judged assigned, nor assigned by the bot.
      const unchecked = findings.find((finding) => finding.code === 'unknownAppType');
      if (unchecked) return traced({ kind: 'byHand', displayName, detail: unchecked.detail });
      const notAssigned = findings.find((finding) => NOT_ASSIGNED.has(finding.code));
      if (!notAssigned) return traced({ kind: 'alreadyAssigned', displayName });
      if (!notAssigned.fix) return traced({ kind: 'byHand', displayName, detail: notAssigned.detail });

      let written: Traced<AssignOutcome>;
      try {
        written = fix.kind === 'app' ? await assigner.assignAppToGroup(fix.id, subject.groupId) : await assigner.assignScriptToGroup(fix.id, subject.groupId);
      } catch (error) {
        if (!(error instanceof GraphError)) throw error;
        if (error.requestId) requestIds.push(error.requestId);
        return traced({ kind: 'writeFailed', displayName, message: error.message, byHand: ASSIGN_BY_HAND[fix.kind](`"${displayName}"`) });
      }
      requestIds.push(...written.requestIds);
      const outcome = written.value;
      switch (outcome.kind) {
        case 'assigned':
        case 'alreadyAssigned':
          return traced({ kind: outcome.kind, displayName });
        case 'notFound':
          return traced({ kind: 'notFound' });
        case 'otherAssignment':
          // Someone gave the group another assignment between the two reads: it is theirs, never changed here.
          return traced({ kind: 'byHand', displayName, detail: `"${displayName}" now has an assignment (${outcome.intent}) to the device group that the bot does not change.` });
        case 'assignmentsChanged':
          return traced({ kind: 'assignmentsChanged', displayName, missing: outcome.missing });
      }
    },
  };
}
