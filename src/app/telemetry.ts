/**
 * Application Insights through OpenTelemetry (@azure/monitor-opentelemetry), on only when the configuration
 * carries a connection string — production mode with APPLICATIONINSIGHTS_CONNECTION_STRING set. Then: incoming
 * HTTP requests, one span per turn (exceptions recorded on it), Graph calls as dependencies with Graph's
 * `request-id` and our `client-request-id` (the Graph client uses fetch, so through undici's diagnostics
 * channel), and every pino line carries the trace and span ids (App Insights' operation id). Otherwise the
 * SDK is not even loaded: nothing is patched, started or sent.
 */
import { SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import type { Config } from './config';
import type { Logger } from '../shared/logger';

export interface Telemetry {
  readonly enabled: boolean;
  /** `trace_id` and `span_id` of the active span, for log lines; nothing when off or outside a span. */
  logFields(): Readonly<Record<string, string>>;
  /** Runs one incoming turn inside its own span; a thrown error is recorded as an exception and rethrown. */
  turn<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T>;
  /** Flushes what is buffered; safe to call more than once. */
  shutdown(): Promise<void>;
}

export const noTelemetry: Telemetry = {
  enabled: false,
  logFields: () => ({}),
  turn: (_name, _attributes, work) => work(),
  shutdown: async () => undefined,
};

/** Graph's ids of a call, kept on the dependency so a support case can quote them. */
const GRAPH_ID_HEADERS = { requestHeaders: ['client-request-id'], responseHeaders: ['request-id'] };

export async function startTelemetry(settings: Config['telemetry'], logger: Logger): Promise<Telemetry> {
  if (!settings) return noTelemetry;
  // Loaded here, not at the top: without a connection string these modules must not patch anything.
  const { useAzureMonitor, shutdownAzureMonitor } = await import('@azure/monitor-opentelemetry');
  const { registerInstrumentations } = await import('@opentelemetry/instrumentation');
  const { UndiciInstrumentation } = await import('@opentelemetry/instrumentation-undici');
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString: settings.connectionString },
    // A helpdesk bot handles a few turns a minute: keep every trace. (The default rate-limited sampler, 5 per
    // second, drops traces while it warms up, so a quiet bot's first turns and Graph calls went missing.)
    samplingRatio: 1,
    tracesPerSecond: 0,
    instrumentationOptions: { http: { enabled: true } },
  });
  registerInstrumentations({ instrumentations: [new UndiciInstrumentation({ headersToSpanAttributes: GRAPH_ID_HEADERS })] });
  logger.info({}, 'telemetry: sending to Application Insights');

  const tracer = trace.getTracer('autopilot-device-group-bot');
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    logFields(): Readonly<Record<string, string>> {
      const context = trace.getActiveSpan()?.spanContext();
      return context ? { trace_id: context.traceId, span_id: context.spanId } : {};
    },
    turn(name, attributes, work) {
      // Inside the HTTP request's span when the http instrumentation saw it; a request of its own otherwise.
      const kind = trace.getActiveSpan() ? SpanKind.INTERNAL : SpanKind.SERVER;
      return tracer.startActiveSpan(name, { kind, attributes }, async (span) => {
        try {
          return await work();
        } catch (error) {
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      });
    },
    shutdown() {
      stopped ??= shutdownAzureMonitor().catch((error: unknown) => logger.error({ err: error }, 'telemetry: flushing failed'));
      return stopped;
    },
  };
}
