import { chromium, type Browser, type BrowserContext, type Route, type WebSocketRoute } from 'playwright-core';
import { isLoopbackUrl } from './network';

/**
 * Headless Debian Chromium with the flags of DESIGN.md §4, and a guard that aborts every request that
 * would leave the machine. The Playground's own UI (Fluent) asks Microsoft's Fabric CDN for web fonts and an
 * animation script; those requests are aborted like any other and merely tolerated (the page renders with
 * fallback fonts, without the animation). Any other non-loopback request is a violation the suite fails on.
 */

export const CHROMIUM_PATH = process.env.E2E_CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const TOLERATED_ABORTS = [/^https:\/\/res-1\.cdn\.office\.net\/files\/fabric-cdn-prod_\d+\.\d+\/assets\/[\w/.-]+\.(woff2?|js)$/];

export class BrowserRequestGuard {
  private readonly aborted: string[] = [];

  async attach(context: BrowserContext): Promise<void> {
    await context.route('**/*', (route: Route) => this.handle(route));
    await context.routeWebSocket(/.*/, (socket: WebSocketRoute) => {
      if (isLoopbackUrl(socket.url())) {
        socket.connectToServer();
      } else {
        this.aborted.push(socket.url());
        void socket.close({ code: 1008, reason: 'e2e: non-loopback WebSocket refused' });
      }
    });
  }

  /** Aborted requests other than the Playground's web fonts. */
  violations(): string[] {
    return this.aborted.filter((url) => !TOLERATED_ABORTS.some((pattern) => pattern.test(url)));
  }

  private async handle(route: Route): Promise<void> {
    const url = route.request().url();
    if (isLoopbackUrl(url)) {
      await route.continue();
      return;
    }
    this.aborted.push(url);
    await route.abort('blockedbyclient');
  }
}

/** Launches Chromium; Playwright gives it a fresh temporary profile and deletes it on close. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS, timeout: 60_000 });
}
