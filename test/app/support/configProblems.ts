import { ConfigError, loadConfig, type Environment } from '../../../src/app/config';

/** The problems a bad environment is rejected with (fails the test when it is accepted). */
export function problemsOf(env: Environment): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}
