// @ts-check
/**
 * Preloaded (`node --require`) into every process the end-to-end suite starts. The suite holds the write
 * end of this process's stdin; when the suite's process dies for any reason (a crash, a kill, the run's
 * time limit) the pipe closes and this process exits too, so nothing outlives the run.
 */
'use strict';

const exitWithParent = () => process.exit(0);
process.stdin.on('end', exitWithParent);
process.stdin.on('error', exitWithParent);
process.stdin.resume();
