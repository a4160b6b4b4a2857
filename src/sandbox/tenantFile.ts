/**
 * The sandbox tenant on disk, so that a restart keeps it (`npm start` resumes it). Written safely: a temp file
 * in the same folder, flushed to disk, then renamed over the old one, so that a crash at any moment leaves
 * either the old tenant or the new one, never half of one. A file that is not a tenant of this version is
 * refused with a message, never silently replaced by a new tenant.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { intuneStateSchema } from './intuneState';
import type { SandboxTenant, TenantState } from './tenant';

/** Raise it when the state's shape changes in a way an older file cannot be read as. */
export const TENANT_FILE_VERSION = 1;

const objectSchema = z.object({
  id: z.string(),
  type: z.enum(['user', 'device', 'servicePrincipal']),
  displayName: z.string(),
  appId: z.string().optional(),
});

const groupSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  description: z.string().nullable(),
  mailNickname: z.string(),
  uniqueName: z.string().nullable(),
  securityEnabled: z.boolean(),
  mailEnabled: z.boolean(),
  groupTypes: z.array(z.string()),
  membershipRule: z.string().nullable(),
  isAssignableToRole: z.boolean().nullable(),
  ownerIds: z.array(z.string()),
  memberIds: z.array(z.string()),
  createdAt: z.number(),
});

const policySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  templateId: z.string(),
  membershipTargetIds: z.array(z.string()),
  createdAt: z.number(),
  lastModifiedAt: z.number(),
});

const installationSchema = z.object({ id: z.string(), teamsAppId: z.string(), chatId: z.string() });

const tenantStateSchema = z.object({
  objects: z.array(objectSchema),
  groups: z.array(groupSchema),
  deletedGroups: z.array(z.object({ group: groupSchema, deletedAt: z.number() })),
  policies: z.array(policySchema),
  catalogAppIds: z.array(z.string()),
  installations: z.array(z.object({ userId: z.string(), installations: z.array(installationSchema) })),
  intune: intuneStateSchema.optional(),
  auditEvents: z
    .array(
      z.object({
        id: z.string(),
        activity: z.string(),
        activityDateTime: z.number(),
        actor: z.object({ kind: z.enum(['delegated', 'appOnly']), userId: z.string().nullable() }),
        policyId: z.string(),
        policyName: z.string(),
      }),
    )
    .default([]),
}) satisfies z.ZodType<TenantState, z.ZodTypeDef, unknown>;

const tenantFileSchema = z.object({ version: z.literal(TENANT_FILE_VERSION), tenant: tenantStateSchema });

export type TenantFileRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'loaded'; readonly state: TenantState }
  | { readonly kind: 'invalid'; readonly message: string };

export function readTenantFile(file: string): TenantFileRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  const invalid = (why: string): TenantFileRead => ({
    kind: 'invalid',
    message: `The sandbox tenant file ${file} ${why}. Nothing was changed; \`npm start -- --reset\` starts the sandbox over (tenant and bot database).`,
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return invalid('is not valid JSON');
  }
  const version = z.object({ version: z.unknown() }).safeParse(json);
  if (version.success && version.data.version !== undefined && version.data.version !== TENANT_FILE_VERSION) {
    return invalid(`has version ${JSON.stringify(version.data.version)}; this emulator reads version ${TENANT_FILE_VERSION}`);
  }
  const parsed = tenantFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return invalid(`is not a sandbox tenant (${issue?.path.join('.') || 'the file'}: ${issue?.message ?? 'invalid'})`);
  }
  return { kind: 'loaded', state: parsed.data.tenant };
}

/** Replaces the file with `state` atomically: the old content stays whole until the new one is on disk. */
export function writeTenantFile(file: string, state: TenantState): void {
  writeAtomically(file, tenantFileText(state));
}

/** Writes the tenant to `file` whenever it changed since the last write: the emulator calls it after every request. */
export function tenantFileWriter(file: string, tenant: SandboxTenant): () => void {
  let written: string | undefined;
  return () => {
    const text = tenantFileText(tenant.state());
    if (text === written) return;
    writeAtomically(file, text);
    written = text;
  };
}

function tenantFileText(state: TenantState): string {
  return `${JSON.stringify({ version: TENANT_FILE_VERSION, tenant: state }, null, 1)}\n`;
}

function writeAtomically(file: string, text: string): void {
  const directory = path.dirname(file);
  const temp = path.join(directory, `.${path.basename(file)}.${randomUUID()}.tmp`);
  const descriptor = fs.openSync(temp, 'wx');
  try {
    fs.writeFileSync(descriptor, text);
    fs.fsyncSync(descriptor);
  } catch (error) {
    fs.closeSync(descriptor);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fs.closeSync(descriptor);
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  syncDirectory(directory);
}

/** Makes the rename itself durable (POSIX); Windows cannot open a folder for this and needs no such step. */
function syncDirectory(directory: string): void {
  if (process.platform === 'win32') return;
  const descriptor = fs.openSync(directory, 'r');
  try {
    fs.fsyncSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
}
