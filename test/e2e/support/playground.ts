import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeLoopbackPort, guardedEnv } from './network';
import type { ManagedProcess, ProcessSupervisor } from './processes';

/**
 * The Microsoft 365 Agents Playground as a local Teams client. One instance acts as one person (its
 * config's currentUser); two instances on two ports with different configs act as two people against
 * one bot (DESIGN.md §4).
 */

const PLAYGROUND_CLI = require.resolve('@microsoft/m365agentsplayground/cli.js');
/** The sandbox's own preload (as `npm start` uses it): the Playground listens on 127.0.0.1 only. */
const LOOPBACK_ONLY = join(__dirname, '..', '..', '..', 'scripts', 'support', 'loopback-only.js');
const START_TIMEOUT_MS = 30_000;

export interface PlaygroundUser {
  readonly id: string;
  readonly name: string;
  readonly userPrincipleName: string; // sic: the Playground's schema spells it so
  readonly aadObjectId: string;
  readonly givenName: string;
  readonly surname: string;
  readonly email: string;
}

export interface PlaygroundConfigOptions {
  readonly currentUser: PlaygroundUser;
  /** Exactly five other users: the Playground's schema requires it. */
  readonly users: readonly PlaygroundUser[];
  /** Makes the chat and team ids unique per instance. */
  readonly idPrefix: string;
  readonly botId: string;
  readonly botName: string;
  readonly teamName: string;
  /** The one extra channel next to General the schema allows. */
  readonly extraChannelName: string;
}

/** The Playground config (JSON is valid YAML, which is what the Playground reads). */
export function playgroundConfig(options: PlaygroundConfigOptions): Record<string, unknown> {
  if (options.users.length !== 5) throw new Error(`the Playground needs exactly 5 users, got ${options.users.length}`);
  return {
    version: '0.1.1',
    tenantId: '00000000-0000-0000-0000-0000000000e2',
    bot: { id: options.botId, name: options.botName },
    currentUser: options.currentUser,
    users: options.users,
    personalChat: { id: `${options.idPrefix}-personal-chat` },
    groupChat: { id: `${options.idPrefix}-group-chat`, name: 'Group Chat' },
    team: {
      id: `${options.idPrefix}-team`,
      name: options.teamName,
      aadGroupId: '00000000-0000-0000-0000-0000000000e3',
      channels: [{ id: `${options.idPrefix}-channel-extra`, name: options.extraChannelName }],
    },
  };
}

export function writePlaygroundConfig(dir: string, name: string, config: Record<string, unknown>): string {
  const file = join(dir, `${name}.m365agentsplayground.yml`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export interface RunningPlayground {
  readonly url: string;
  readonly process: ManagedProcess;
}

export interface PlaygroundStartOptions {
  /** Process name, also the log file name. */
  readonly name: string;
  readonly botEndpoint: string;
  readonly configPath: string;
  readonly violationsFile: string;
  readonly cwd: string;
}

/** Starts one instance with telemetry and browser launching off, and waits until it listens. */
export async function startPlayground(supervisor: ProcessSupervisor, options: PlaygroundStartOptions): Promise<RunningPlayground> {
  const requestedPort = await freeLoopbackPort();
  const started = supervisor.start({
    name: options.name,
    command: process.execPath,
    args: [
      '--require', LOOPBACK_ONLY,
      PLAYGROUND_CLI,
      'start',
      '--app-endpoint', options.botEndpoint,
      '--channel-id', 'msteams',
      '--port', String(requestedPort),
      '--service-url', `http://127.0.0.1:${requestedPort}/_connector`,
      '--disable-telemetry',
    ],
    cwd: options.cwd,
    env: guardedEnv(options.violationsFile, {
      TEAMSAPPTESTER_BROWSER: 'none',
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: options.configPath,
    }),
  });
  // The Playground silently moves to a random port when the requested one is taken, and its connector URL
  // (where the bot replies) would then be wrong.
  const [, port] = await started.waitForOutput(/Listening on (\d+)/, START_TIMEOUT_MS);
  if (Number(port) !== requestedPort) throw new Error(`${options.name} could not get port ${requestedPort} (took ${port})`);
  return { url: `http://127.0.0.1:${port}/`, process: started };
}
