import { join } from 'node:path';
import { z } from 'zod';
import type { PlaygroundUser } from './playground';

/**
 * The sandbox's people and Playground configs, taken from scripts/playground-config.js (the single source
 * `npm start` uses too), so the suite acts as exactly the people the sandbox bot knows.
 */

const ROOT = join(__dirname, '..', '..', '..');

const user = z.object({
  id: z.string(),
  name: z.string(),
  userPrincipleName: z.string(),
  aadObjectId: z.string(),
  givenName: z.string(),
  surname: z.string(),
  email: z.string(),
});

const sandboxPeople = z.object({
  PEOPLE: z.object({ helpdeskAgent: user, approver: user, others: z.array(user).min(1) }),
  ROLES: z.object({ helpdesk: z.object({ file: z.string() }), approver: z.object({ file: z.string() }) }),
  SANDBOX_APPROVER_IDS: z.array(z.string()).min(1),
  playgroundConfig: z.function().args(z.string()).returns(z.record(z.unknown())),
});

export interface SandboxPeople {
  readonly helpdeskAgent: PlaygroundUser;
  readonly approver: PlaygroundUser;
  /** Someone the bot does not treat as an approver and who requested nothing. */
  readonly bystander: PlaygroundUser;
  readonly approverIds: readonly string[];
  /** Everyone the Playground configs name, as the emulator's token service signs them in (SANDBOX_PEOPLE). */
  readonly everyone: readonly PlaygroundUser[];
  /** The committed Playground config files of the helpdesk agent and the approver. */
  readonly helpdeskConfigPath: string;
  readonly approverConfigPath: string;
  /** A config for the bystander: the helpdesk agent's, seen from the bystander's seat, with its own ids. */
  bystanderConfig(): Record<string, unknown>;
}

export function loadSandboxPeople(): SandboxPeople {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain-JS script shared with `npm start`
  const script = sandboxPeople.parse(require(join(ROOT, 'scripts', 'playground-config.js')));
  const { helpdeskAgent, approver, others } = script.PEOPLE;
  const bystander = others[0];
  return {
    helpdeskAgent,
    approver,
    bystander,
    approverIds: script.SANDBOX_APPROVER_IDS,
    everyone: [helpdeskAgent, approver, ...others],
    helpdeskConfigPath: join(ROOT, script.ROLES.helpdesk.file),
    approverConfigPath: join(ROOT, script.ROLES.approver.file),
    bystanderConfig: () => {
      const base = script.playgroundConfig('helpdesk');
      return {
        ...base,
        currentUser: bystander,
        users: [helpdeskAgent, approver, ...others].filter((person) => person.id !== bystander.id),
        personalChat: { id: 'personal-chat-bystander' },
        groupChat: { id: 'group-chat-bystander', name: 'Device rollout' },
        team: { ...z.object({}).passthrough().parse(base.team), id: 'team-it-helpdesk-bystander', channels: [] },
      };
    },
  };
}
