/** The health watch's interval and when an unclaimed group the bot made counts as an orphan. */
import type { EnvironmentReader } from '../reader';
import { wholeNumber } from '../schema';
import type { Config } from '../types';

const DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS = 21_600;
const DEFAULT_ORPHAN_GROUP_DAYS = 14;

const healthCheckIntervalSeconds = wholeNumber({ min: 0, max: 604_800, unit: 'seconds', meanings: { 0: 'off', 604_800: 'a week' }, hint: '0 turns the health watch off' });
const orphanGroupDays = wholeNumber({ min: 1, max: 365, unit: 'days' });

export function readInventory(reader: EnvironmentReader): Config['inventory'] {
  return {
    healthCheckIntervalSeconds: reader.optional('HEALTH_CHECK_INTERVAL_SECONDS', healthCheckIntervalSeconds) ?? DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS,
    orphanGroupDays: reader.optional('ORPHAN_GROUP_DAYS', orphanGroupDays) ?? DEFAULT_ORPHAN_GROUP_DAYS,
  };
}
