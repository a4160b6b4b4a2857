import { z } from 'zod';

/**
 * Reads the sandbox Graph emulator's directory the way any Graph client would: through its Graph URLs,
 * so the end-to-end checks see exactly what Intune would see.
 */

export const INTUNE_PROVISIONING_APP_ID = 'f1346770-5b25-470b-88bd-d5744ab7952c';

const directoryObject = z.object({ '@odata.type': z.string().optional(), id: z.string(), appId: z.string().optional() });

const group = z.object({
  id: z.string(),
  displayName: z.string(),
  mailNickname: z.string(),
  uniqueName: z.string().nullable().optional(),
  securityEnabled: z.boolean(),
  mailEnabled: z.boolean(),
  groupTypes: z.array(z.string()),
  membershipRule: z.string().nullable().optional(),
  isAssignableToRole: z.boolean().nullable().optional(),
  owners: z.array(directoryObject).default([]),
  members: z.array(directoryObject).optional(),
});
export type DirectoryGroup = z.infer<typeof group>;

const groupPage = z.object({ value: z.array(group), '@odata.nextLink': z.string().optional() });
const memberList = z.object({ value: z.array(directoryObject) });

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { authorization: 'Bearer e2e-reader', 'client-request-id': crypto.randomUUID() } });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Every group in the directory, with owners, following paging. */
export async function listGroups(graphBaseUrl: string): Promise<DirectoryGroup[]> {
  const groups: DirectoryGroup[] = [];
  let next: string | undefined = `${graphBaseUrl}/v1.0/groups?$expand=owners`;
  while (next !== undefined) {
    const page = groupPage.parse(await getJson(next));
    groups.push(...page.value);
    next = page['@odata.nextLink'];
  }
  return groups;
}

/** The members of a group (none, for a freshly created device group). */
export async function listMembers(graphBaseUrl: string, groupId: string): Promise<z.infer<typeof directoryObject>[]> {
  return memberList.parse(await getJson(`${graphBaseUrl}/v1.0/groups/${encodeURIComponent(groupId)}/members`)).value;
}

/** The object id of the Intune provisioning client's service principal, looked up by appId. */
export async function intuneProvisioningClientId(graphBaseUrl: string): Promise<string> {
  const url = `${graphBaseUrl}/v1.0/servicePrincipals(appId='${INTUNE_PROVISIONING_APP_ID}')`;
  return directoryObject.parse(await getJson(url)).id;
}

const policyPage = z.object({ value: z.array(z.object({ id: z.string(), name: z.string() })) });

/** The id of the device-preparation policy Intune lists under `name` (Graph beta). */
export async function policyIdNamed(graphBaseUrl: string, name: string): Promise<string> {
  const filter = encodeURIComponent("technologies has 'enrollment'");
  const policy = policyPage.parse(await getJson(`${graphBaseUrl}/beta/deviceManagement/configurationPolicies?$filter=${filter}`)).value.find((each) => each.name === name);
  if (!policy) throw new Error(`Intune lists no policy named ${name}`);
  return policy.id;
}

const auditEventPage = z.object({
  value: z.array(
    z.object({
      activity: z.string(),
      actor: z.object({ auditActorType: z.string().nullable(), userId: z.string().nullable() }),
      resources: z.array(z.object({ resourceId: z.string().nullable() })),
    }),
  ),
});

/** Intune's audit log entries about one policy: who changed it (a person's object id, or none for the application). */
export async function policyAuditEvents(graphBaseUrl: string, policyId: string): Promise<z.infer<typeof auditEventPage>['value']> {
  const page = auditEventPage.parse(await getJson(`${graphBaseUrl}/v1.0/deviceManagement/auditEvents`));
  return page.value.filter((event) => event.resources.some((resource) => resource.resourceId === policyId));
}
