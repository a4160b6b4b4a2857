/**
 * The whole runtime configuration, read from the environment once at start-up: `types.ts` is its shape,
 * `schema.ts` the value checks, `reader.ts` collects every problem, and each section reads its own variables
 * (a new setting goes into its section's file).
 */
import { z } from 'zod';
import { ConfigError, EnvironmentReader, type Environment } from './reader';
import { oneOf } from './schema';
import { readApprovers } from './sections/approvers';
import { readProductionBot, readSandboxBot } from './sections/bot';
import { readProductionGraph, readSandboxGraph } from './sections/graph';
import { readInventory } from './sections/inventory';
import { readNaming } from './sections/naming';
import { readOAuthConnection } from './sections/oauthConnection';
import { readServer } from './sections/server';
import { readStore } from './sections/store';
import { readTeams } from './sections/teams';
import { APP_MODES, type Config, LOG_LEVELS, type StoreConfig } from './types';

export { ConfigError, type Environment } from './reader';
export { GUID } from './schema';
export { SANDBOX_GRAPH_TOKEN } from './sections/graph';
export { DEFAULT_PORT } from './sections/server';
export type { BotAuth, Config, LogLevel, StoreConfig } from './types';

const appInsightsConnectionString = z
  .string()
  .regex(/(^|;)\s*InstrumentationKey=[0-9a-f-]{36}\s*(;|$)/i, 'must be an Application Insights connection string (InstrumentationKey=…;IngestionEndpoint=…)');

/** Parses the environment; throws {@link ConfigError} listing every problem. */
export function loadConfig(env: Environment): Config {
  const reader = new EnvironmentReader(env);
  const mode = reader.optional('APP_MODE', oneOf(APP_MODES)) ?? 'production';
  const server = readServer(reader, mode);
  const bot = mode === 'sandbox' ? readSandboxBot(reader) : readProductionBot(reader);
  const graph = mode === 'sandbox' ? readSandboxGraph(reader) : readProductionGraph(reader, bot);
  const store = readStore(reader);
  const approvers = readApprovers(reader);
  const naming = readNaming(reader);
  const teams = readTeams(reader, mode);
  const inventory = readInventory(reader);
  const oauthConnection = readOAuthConnection(reader);
  const logLevel = reader.optional('LOG_LEVEL', oneOf(LOG_LEVELS)) ?? 'info';
  // The sandbox sends nothing anywhere, whatever the shell it was started from exports.
  const connectionString = mode === 'production' ? reader.optional('APPLICATIONINSIGHTS_CONNECTION_STRING', appInsightsConnectionString) : undefined;

  if (reader.problems.length > 0 || !bot || !graph || !store) throw new ConfigError(reader.problems);
  return {
    mode, server, bot, graph, store, approvers, naming, teams, inventory, logLevel,
    ...(oauthConnection ? { oauthConnection } : {}),
    ...(connectionString ? { telemetry: { connectionString } } : {}),
  };
}

/**
 * Only the database settings, for tools that read the store and nothing else (the admin CLI's audit export
 * and group list): they need no bot identity, Graph credential or approvers. Same rules as {@link loadConfig}.
 */
export function loadStoreConfig(env: Environment): StoreConfig {
  const reader = new EnvironmentReader(env);
  const store = readStore(reader);
  if (reader.problems.length > 0 || !store) throw new ConfigError(reader.problems);
  return store;
}
