'use strict';
/**
 * Preloaded into the Agents Playground (`node --require`): it listens on every interface and has no option
 * to change that, but it is a mock Teams client whose connector talks to an unauthenticated bot. Any server
 * in that process that does not name a host is bound to 127.0.0.1 instead.
 */
const net = require('node:net');

const LOOPBACK = '127.0.0.1';
const originalListen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first, second] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof second !== 'string') return originalListen.call(this, first, LOOPBACK, ...args.slice(1));
  } else if (first !== null && typeof first === 'object' && !('fd' in first) && !('path' in first) && first.host === undefined) {
    return originalListen.call(this, { ...first, host: LOOPBACK }, ...args.slice(1));
  }
  return originalListen.apply(this, args);
};
