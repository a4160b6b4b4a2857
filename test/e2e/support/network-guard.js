// @ts-check
/**
 * Preloaded (`node --require`) into the jest process and every process the end-to-end suite starts.
 * It refuses any TCP connection to a non-loopback address and appends each refused attempt, as a JSON
 * line, to the file named by E2E_NETWORK_VIOLATIONS_FILE so the suite can fail on it. Plain JavaScript on
 * purpose: plain `node` must load it before anything is compiled.
 */
'use strict';

const net = require('node:net');
const fs = require('node:fs');

const GUARD_MARK = Symbol.for('adgb.e2e.networkGuard');

/** @param {string | undefined} host */
function isLoopback(host) {
  if (host === undefined || host === '' || host === 'localhost') return true; // Node's default host is localhost
  const bare = host.replace(/^\[|\]$/g, '');
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (net.isIPv6(bare)) return bare === '::1' || /^::ffff:127\./i.test(bare);
  return false; // any other name could resolve anywhere
}

/**
 * The (host, port) a Socket#connect call targets, or undefined for a Unix socket / named pipe.
 * @param {unknown[]} args
 * @returns {{ host: string | undefined, port: unknown } | undefined}
 */
function targetOf(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0]; // net.connect passes normalized [options, cb]
  if (first !== null && typeof first === 'object') {
    const options = /** @type {{ path?: unknown, host?: unknown, port?: unknown }} */ (first);
    if (options.path) return undefined; // Node itself treats any truthy path as a Unix socket
    return { host: typeof options.host === 'string' ? options.host : undefined, port: options.port };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined; // a path
  return { host: typeof args[1] === 'string' ? args[1] : undefined, port: first };
}

/** @param {{ host: string | undefined, port: unknown }} target */
function recordViolation(target) {
  const line = JSON.stringify({ pid: process.pid, argv: process.argv.slice(1, 3), host: target.host, port: target.port });
  process.stderr.write(`e2e network guard: refused connection ${line}\n`);
  const file = process.env.E2E_NETWORK_VIOLATIONS_FILE;
  if (file) fs.appendFileSync(file, `${line}\n`);
}

function install() {
  const proto = /** @type {net.Socket & { [GUARD_MARK]?: true }} */ (net.Socket.prototype);
  if (proto[GUARD_MARK]) return;
  const originalConnect = net.Socket.prototype.connect;
  /** @this {net.Socket} @param {unknown[]} args */
  function guardedConnect(...args) {
    const target = targetOf(args);
    if (target !== undefined && !isLoopback(target.host)) {
      recordViolation(target);
      // Fail the way an unreachable network does: asynchronously, on the socket.
      process.nextTick(() => this.destroy(Object.assign(new Error(`e2e network guard refused ${target.host}`), { code: 'ENETUNREACH' })));
      return this;
    }
    return Reflect.apply(originalConnect, this, args);
  }
  Object.defineProperty(net.Socket.prototype, 'connect', { value: guardedConnect, writable: true, configurable: true });
  Object.defineProperty(net.Socket.prototype, GUARD_MARK, { value: true });
}

install();
