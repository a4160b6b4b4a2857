import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { BrowserRequestGuard, launchChromium } from './browser';
import { createViolationsFile, onlyLoopbackInterfaces, readViolations } from './network';
import { ProcessSupervisor } from './processes';

/**
 * What every browser suite sets up and tears down: a scratch directory, the process supervisor (logs under
 * `<resultsDir>/logs`), the network-violation record and the browser with its request guard.
 */
export class E2eRun {
  readonly workDir: string;
  readonly supervisor: ProcessSupervisor;
  readonly violationsFile: string;
  readonly browserGuard = new BrowserRequestGuard();
  private launched: Browser | undefined;

  constructor(readonly resultsDir: string) {
    mkdirSync(resultsDir, { recursive: true });
    this.workDir = mkdtempSync(join(tmpdir(), 'adgb-e2e-'));
    this.supervisor = new ProcessSupervisor(join(resultsDir, 'logs'));
    this.violationsFile = createViolationsFile(this.workDir);
    process.stdout.write(`e2e network: ${onlyLoopbackInterfaces() ? 'isolated (loopback only)' : 'NOT isolated; guards only'}\n`);
  }

  async browser(): Promise<Browser> {
    this.launched ??= await launchChromium();
    return this.launched;
  }

  /** Every refused non-loopback attempt: by the suite's processes, and by the browser (beyond the tolerated). */
  nonLoopbackAttempts(): { readonly processes: string[]; readonly browser: string[] } {
    return { processes: readViolations(this.violationsFile), browser: this.browserGuard.violations() };
  }

  async close(): Promise<void> {
    await this.launched?.close();
    await this.supervisor.stopAll();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
