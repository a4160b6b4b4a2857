/**
 * The one clock port: every part that stamps or compares times (requests, provisioning, the inventory, the
 * store, the health watch, the emulator) is handed one, so a test that moves time moves it for all of them.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
