/**
 * `--sandbox`: the CLI runs with the environment `npm start` gave the sandbox bot, which
 * scripts/start-sandbox.js writes to `<data dir>/sandbox-settings.json` — the same database, Graph emulator
 * and approvers, whatever ports it was started on, with nothing to guess.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Environment } from '../app/config';

export const SANDBOX_SETTINGS_FILE = 'sandbox-settings.json';

// src/cli and lib/cli are both two levels below the repository, whose data/ npm start uses by default.
const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

const sandboxSettings = z.object({ environment: z.record(z.string(), z.string()) });

/** Where `npm start` keeps its data: SANDBOX_DATA_DIR, relative to the repository as npm start resolves it. */
export function sandboxDataDir(env: Environment): string {
  return path.resolve(REPOSITORY_ROOT, env['SANDBOX_DATA_DIR'] || 'data');
}

/**
 * The environment to run a command with against the sandbox: this process's, overlaid with the bot's. The log
 * level stays the CLI's own: the bot's is for a server log, not for a person at a terminal.
 */
export function sandboxEnvironment(env: Environment): Environment {
  const file = path.join(sandboxDataDir(env), SANDBOX_SETTINGS_FILE);
  const { LOG_LEVEL: _botLogLevel, ...bot } = readSettings(file).environment;
  return { ...env, ...bot };
}

function readSettings(file: string): z.infer<typeof sandboxSettings> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`there is no sandbox at ${path.dirname(file)} (no ${SANDBOX_SETTINGS_FILE}): start it with npm start, or set SANDBOX_DATA_DIR as you did for npm start`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = sandboxSettings.safeParse(json);
  if (!parsed.success) throw new Error(`${file} is not what npm start writes; start the sandbox again with npm start to rewrite it`);
  return parsed.data;
}
