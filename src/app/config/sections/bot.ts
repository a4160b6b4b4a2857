/** The bot's own identity towards the Bot Framework (BOT_*): none in the sandbox, required in production. */
import type { EnvironmentReader } from '../reader';
import { guid, oneOf, text } from '../schema';
import type { BotAuth } from '../types';

const BOT_TYPES = ['SingleTenant', 'UserAssignedMsi'] as const;
const SANDBOX_ONLY_BOT_SETTINGS = ['BOT_ID', 'BOT_PASSWORD', 'BOT_TYPE', 'BOT_TENANT_ID'] as const;

export function readSandboxBot(reader: EnvironmentReader): BotAuth {
  // A half-configured identity in sandbox mode is almost certainly a production deployment with the wrong mode.
  for (const name of SANDBOX_ONLY_BOT_SETTINGS) {
    reader.forbidden(name, 'in sandbox mode (authentication is off there); set APP_MODE=production to use a bot identity');
  }
  return { kind: 'none' };
}

export function readProductionBot(reader: EnvironmentReader): BotAuth | undefined {
  const why = 'in production mode: the bot refuses to run with authentication off outside the sandbox (APP_MODE=sandbox)';
  const type = reader.optional('BOT_TYPE', oneOf(BOT_TYPES)) ?? 'SingleTenant';
  const appId = reader.required('BOT_ID', guid, why);
  const tenantId = reader.required('BOT_TENANT_ID', guid, why);
  if (type === 'UserAssignedMsi') {
    reader.forbidden('BOT_PASSWORD', 'when BOT_TYPE is UserAssignedMsi (the managed identity is the credential)');
    return appId && tenantId ? { kind: 'UserAssignedMsi', appId, tenantId } : undefined;
  }
  const password = reader.required('BOT_PASSWORD', text, 'when BOT_TYPE is SingleTenant');
  return appId && tenantId && password ? { kind: 'SingleTenant', appId, tenantId, password } : undefined;
}
