/**
 * One clock for every part, composed the way the bot composes it (createServices), against the Graph emulator
 * over HTTP and a real SQLite store: when the test moves time, the group's createdAt (provisioning), the orphan
 * cut-off (the inventory, ORPHAN_GROUP_DAYS), the store's own stamps and the health watch all move with it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/app/config';
import { createLogger } from '../../src/app/log';
import { createGraphAccess, createServices, type Services } from '../../src/app/services';
import type { Actor } from '../../src/domain/actor';
import { policyKeyOf } from '../../src/domain/policy';
import { createHealthWatch } from '../../src/requests/healthWatch';
import type { HealthDigest } from '../../src/requests/ports';
import { startGraphEmulator, type GraphEmulator } from '../../src/sandbox/graphEmulator';
import type { Clock } from '../../src/shared/clock';
import { openStore, type Store } from '../../src/store';

const APPROVER: Actor = { aadObjectId: '00000000-0000-4000-8000-0000000000a2', name: 'Megan Bowen' };
const HELPDESK: Actor = { aadObjectId: '00000000-0000-4000-8000-0000000000a1', name: 'Alex Wilber' };
const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;
const ORPHAN_GROUP_DAYS = 3;
// Far from the machine's own time, so a part still on the wall clock would stamp a different day.
const START = Date.parse('2031-05-01T08:00:00.000Z');

let clockMs = START;
const clock: Clock = { now: () => new Date(clockMs) };
let dir: string;
let emulator: GraphEmulator;
let store: Store;
let services: Services;

beforeEach(async () => {
  clockMs = START;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgb-clock-'));
  emulator = await startGraphEmulator({ seed: { policies: [] }, clock });
  const config = loadConfig({
    APP_MODE: 'sandbox',
    GRAPH_BASE_URL: emulator.url,
    SQLITE_PATH: path.join(dir, 'bot.sqlite'),
    APPROVER_IDS: APPROVER.aadObjectId,
    ORPHAN_GROUP_DAYS: String(ORPHAN_GROUP_DAYS),
  });
  store = await openStore({ ...config.store, clock });
  const silent = createLogger({ level: 'silent' });
  services = createServices(config, store, createGraphAccess(config, silent, clock), silent, { clock });
});

afterEach(async () => {
  await store.close();
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('stamps createdAt, cuts orphans off and runs the health watch on the one injected clock', async () => {
  const submitted = await services.requests.submit({ policyName: 'Kiosks', scenario: 'userDriven', requester: HELPDESK });
  if (submitted.kind !== 'created') throw new Error(`expected a created request, got ${submitted.kind}`);
  await services.requests.approve(submitted.request.id, APPROVER);
  await services.requests.idle();
  const key = policyKeyOf('Kiosks');
  expect((await store.findGroup(key))?.createdAt).toBe(new Date(START).toISOString());

  const digests: HealthDigest[] = [];
  const watch = createHealthWatch({
    store,
    inventory: services.inventory,
    digest: { postDigest: async (digest) => (digests.push(digest), true) },
    intervalMs: HOUR_MS,
    clock,
  });

  // One interval short of ORPHAN_GROUP_DAYS after createdAt: the policy may still be on its way into Intune.
  clockMs = START + ORPHAN_GROUP_DAYS * DAY_MS - HOUR_MS;
  expect(await watch.runPass()).toEqual({ kind: 'done', newFindings: 0, cleared: 0, posted: false });
  clockMs += HOUR_MS - 1;
  expect(await watch.runPass()).toEqual({ kind: 'notMine' });

  // Exactly ORPHAN_GROUP_DAYS later the watch's next pass is due, and finds and posts the orphan, stamped now.
  clockMs += 1;
  expect(await watch.runPass()).toEqual({ kind: 'done', newFindings: 1, cleared: 0, posted: true });
  expect(digests.map((digest) => [digest.at, digest.newFindings.map((entry) => [entry.policyName, entry.findings.map((finding) => finding.code)])])).toEqual([
    [new Date(clockMs).toISOString(), [['Kiosks', ['orphanGroup']]]],
  ]);
  expect(await store.listReportedFindings()).toEqual([expect.objectContaining({ code: 'orphanGroup', reportedAt: new Date(clockMs).toISOString() })]);
});
