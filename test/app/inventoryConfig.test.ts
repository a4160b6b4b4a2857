/** HEALTH_CHECK_INTERVAL_SECONDS and ORPHAN_GROUP_DAYS (issue 14): defaults, 0 = off, one clear message per bad value. */
import { loadConfig, type Environment } from '../../src/app/config';
import { problemsOf } from './support/configProblems';

const sandbox: Environment = { APP_MODE: 'sandbox', GRAPH_BASE_URL: 'http://127.0.0.1:5980', APPROVER_IDS: '99999999-8888-7777-6666-555555555555' };


describe('inventory settings', () => {
  it('defaults to a pass every 6 hours and orphans after 14 days; 0 turns the watch off; small values are allowed', () => {
    expect(loadConfig(sandbox).inventory).toEqual({ healthCheckIntervalSeconds: 21_600, orphanGroupDays: 14 });
    expect(loadConfig({ ...sandbox, HEALTH_CHECK_INTERVAL_SECONDS: '0' }).inventory.healthCheckIntervalSeconds).toBe(0);
    expect(loadConfig({ ...sandbox, HEALTH_CHECK_INTERVAL_SECONDS: '5', ORPHAN_GROUP_DAYS: '30' }).inventory).toEqual({ healthCheckIntervalSeconds: 5, orphanGroupDays: 30 });
  });

  it.each([
    ['HEALTH_CHECK_INTERVAL_SECONDS', 'soon', /^HEALTH_CHECK_INTERVAL_SECONDS: must be a number of seconds \(0 turns the health watch off\)/],
    ['HEALTH_CHECK_INTERVAL_SECONDS', '1.5', /^HEALTH_CHECK_INTERVAL_SECONDS: must be a whole number of seconds/],
    ['HEALTH_CHECK_INTERVAL_SECONDS', '-1', /^HEALTH_CHECK_INTERVAL_SECONDS: must be between 0 \(off\) and 604800/],
    ['HEALTH_CHECK_INTERVAL_SECONDS', '9999999', /^HEALTH_CHECK_INTERVAL_SECONDS: must be between 0 \(off\) and 604800/],
    ['ORPHAN_GROUP_DAYS', '0', /^ORPHAN_GROUP_DAYS: must be between 1 and 365 days/],
    ['ORPHAN_GROUP_DAYS', 'a week', /^ORPHAN_GROUP_DAYS: must be a number of days/],
  ])('refuses %s=%s with one message', (name, value, pattern) => {
    const problems = problemsOf({ ...sandbox, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(pattern);
  });
});
