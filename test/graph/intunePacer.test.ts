/**
 * The Intune pacer on a fake clock: which requests are let through and in what order as time moves, never how
 * long anything took. Sleeps are the fake clock's: each resolves when the test has moved time past its end.
 */
import { INTUNE_LIMITS, INTUNE_WINDOW_MS } from '../../src/graph/intuneLimits';
import { createIntunePacer, PACER_HEADROOM, type IntunePacerOptions, type PacedRequest } from '../../src/graph/intunePacer';
import type { Clock } from '../../src/shared/clock';

const TARGET: PacedRequest = { method: 'POST', url: "/deviceManagement/configurationPolicies('p')/retrieveEnrollmentTimeDeviceMembershipTarget" };
const SETTINGS: PacedRequest = { method: 'GET', url: '/deviceManagement/configurationPolicies/p/settings' };
const APP: PacedRequest = { method: 'GET', url: '/deviceAppManagement/mobileApps/a?$expand=assignments' };
const GROUP: PacedRequest = { method: 'GET', url: '/groups/g' };

/** 90 of device config v2's 100 POSTs per window: the headroom stays unspent. */
const WRITE_BURST = Math.floor(INTUNE_LIMITS.deviceConfigV2.write * (1 - PACER_HEADROOM));
const MS_PER_WRITE = INTUNE_WINDOW_MS / INTUNE_LIMITS.deviceConfigV2.write;

let time: number;
let sleepers: { until: number; wake: () => void }[];
let admitted: string[];

beforeEach(() => {
  time = 0;
  sleepers = [];
  admitted = [];
});

const clock: Clock = { now: () => new Date(time) };

function pacer(options: IntunePacerOptions = {}) {
  const paced = createIntunePacer({
    clock,
    sleep: (ms) => new Promise<void>((wake) => sleepers.push({ until: time + ms, wake })),
    ...options,
  });
  /** Admits `requests` under `name`, noting the name once they may go. */
  return (name: string, requests: readonly PacedRequest[]): Promise<void> => paced.admit(requests).then(() => void admitted.push(name));
}

/** Moves the clock on and lets every sleep that has ended, and what it releases, run. */
async function advance(ms: number): Promise<void> {
  time += ms;
  for (const sleeper of sleepers.filter((each) => each.until <= time)) sleeper.wake();
  sleepers = sleepers.filter((each) => each.until > time);
  await new Promise<void>((resolve) => setImmediate(resolve));
}

const times = (count: number, request: PacedRequest): PacedRequest[] => Array.from({ length: count }, () => request);

describe('the Intune pacer', () => {
  it('lets a burst of device config v2 POSTs through up to its capacity less the headroom, then one per refill', async () => {
    const admit = pacer();
    const first = Array.from({ length: WRITE_BURST }, (_, index) => admit(`t${index}`, [TARGET]));
    void admit('over', [TARGET]);
    await Promise.all(first);
    expect(admitted).toHaveLength(WRITE_BURST);
    await advance(MS_PER_WRITE - 1);
    expect(admitted).not.toContain('over');
    await advance(1);
    expect(admitted.at(-1)).toBe('over');
  });

  it('holds a batch until the budget has room for all of it, and lets it go at once', async () => {
    const admit = pacer();
    await admit('burst', times(WRITE_BURST - 5, TARGET));
    void admit('batch of 20', times(20, TARGET));
    await advance(14 * MS_PER_WRITE);
    expect(admitted).toEqual(['burst']);
    await advance(MS_PER_WRITE);
    expect(admitted).toEqual(['burst', 'batch of 20']);
  });

  it('lets requests on one budget go first come, first served', async () => {
    const admit = pacer();
    await admit('burst', times(WRITE_BURST, TARGET));
    for (const name of ['a', 'b', 'c']) void admit(name, times(10, TARGET));
    await advance(10 * MS_PER_WRITE);
    expect(admitted).toEqual(['burst', 'a']);
    await advance(10 * MS_PER_WRITE);
    expect(admitted).toEqual(['burst', 'a', 'b']);
    await advance(10 * MS_PER_WRITE);
    expect(admitted).toEqual(['burst', 'a', 'b', 'c']);
  });

  it('does not hold reads behind POSTs waiting for the write budget, nor other areas and the directory behind Intune', async () => {
    const admit = pacer();
    await admit('burst', times(WRITE_BURST, TARGET));
    void admit('targets', times(20, TARGET));
    await Promise.all([admit('settings', times(20, SETTINGS)), admit('apps', times(20, APP)), admit('group', [GROUP])]);
    expect(admitted).toEqual(['burst', 'settings', 'apps', 'group']);
    await advance(20 * MS_PER_WRITE);
    expect(admitted.at(-1)).toBe('targets');
  });

  it('counts a POST against the area\'s "any" budget too: reads wait once both together have spent it', async () => {
    const admit = pacer();
    const anyBurst = Math.floor(INTUNE_LIMITS.deviceConfigV2.any * (1 - PACER_HEADROOM));
    await admit('targets', times(WRITE_BURST, TARGET));
    await admit('settings', times(anyBurst - WRITE_BURST, SETTINGS));
    void admit('one more read', [SETTINGS]);
    await advance(0);
    expect(admitted).toEqual(['targets', 'settings']);
    await advance(INTUNE_WINDOW_MS / INTUNE_LIMITS.deviceConfigV2.any);
    expect(admitted.at(-1)).toBe('one more read');
  });

  it('spends only its share, on the window shortened by the time scale', async () => {
    // Half of 100 POSTs per 20 s, the window shortened 20×: 45 at once (the headroom kept), then one per 20 ms.
    const admit = pacer({ share: 0.5, timeScale: 20 });
    await admit('burst', times(45, TARGET));
    void admit('next', [TARGET]);
    await advance(19);
    expect(admitted).toEqual(['burst']);
    await advance(1);
    expect(admitted).toEqual(['burst', 'next']);
  });

  it('lets a batch larger than a budget go once the budget is full (the service throttles the rest)', async () => {
    const admit = pacer({ share: 0.1 }); // 10 POSTs per window, 9 at once
    await admit('three', times(3, TARGET));
    void admit('twenty', times(20, TARGET));
    // Full again once the three have come back, one every tenth of the window.
    await advance(3 * (INTUNE_WINDOW_MS / 10) - 1);
    expect(admitted).toEqual(['three']);
    await advance(1);
    expect(admitted).toEqual(['three', 'twenty']);
  });

  it('refuses a share outside (0, 1] or a time scale that is not positive', () => {
    expect(() => createIntunePacer({ share: 0 })).toThrow(RangeError);
    expect(() => createIntunePacer({ share: 1.5 })).toThrow(RangeError);
    expect(() => createIntunePacer({ timeScale: 0 })).toThrow(RangeError);
  });
});
