import { createLogger } from '../../src/app/log';
import { memoryLog } from '../support/memoryLog';

/** A logger writing into memory, and the parsed lines it wrote. */
function capture(level: 'info' | 'warn' = 'info') {
  const log = memoryLog();
  return { logger: createLogger({ level, destination: log.destination }), entries: () => log.entries() };
}

describe('createLogger', () => {
  it('writes JSON lines with the level, an ISO time and the service name', () => {
    const { logger, entries } = capture();
    logger.info({ requestId: 'REQ-1' }, 'request approved');
    expect(entries()).toEqual([
      expect.objectContaining({ level: 30, msg: 'request approved', requestId: 'REQ-1', service: 'autopilot-device-group-bot', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
    ]);
  });

  it('redacts secrets at the top level and nested two levels deep', () => {
    const { logger, entries } = capture();
    logger.info({
      password: 'p1',
      config: { bot: { password: 'p2', appId: 'visible' }, DATABASE_URL: 'postgres://u:p3@db/x' },
      headers: { authorization: 'Bearer p4' },
      credential: { clientSecret: 'p5' },
    }, 'configured');
    const text = JSON.stringify(entries());
    for (const secret of ['p1', 'p2', 'p3', 'p4', 'p5']) expect(text).not.toContain(secret);
    expect(entries()[0]).toMatchObject({ password: '[redacted]', config: { bot: { password: '[redacted]', appId: 'visible' } }, headers: { authorization: '[redacted]' } });
  });

  it('drops lines below the configured level', () => {
    const { logger, entries } = capture('warn');
    logger.info('not written');
    logger.warn('written');
    expect(entries().map((entry) => entry.msg)).toEqual(['written']);
  });

  it('adds the fields of the current context to every line', () => {
    const log = memoryLog();
    let context: object = {};
    const logger = createLogger({ level: 'info', destination: log.destination, context: () => context });
    logger.info('before');
    context = { correlationId: 'turn-1' };
    logger.info('during');
    expect(log.entries().map((entry) => entry.correlationId)).toEqual([undefined, 'turn-1']);
  });

  it('child loggers keep their bindings and the redaction', () => {
    const { logger, entries } = capture();
    logger.child({ correlationId: 'c-1' }).info({ token: 'tkn' }, 'turn');
    expect(entries()[0]).toMatchObject({ correlationId: 'c-1', token: '[redacted]' });
  });
});
