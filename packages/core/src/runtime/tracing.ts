import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';

type OpenTelemetryApi = typeof import('@opentelemetry/api');

/**
 * Set only while tracing runs: without it every helper below is a plain call. The API package is
 * imported with the SDK, so a robot that exports no traces loads none of OpenTelemetry.
 */
let tracing: { tracer: Tracer; api: OpenTelemetryApi } | undefined;

/**
 * True while spans are exported (`OTEL_EXPORTER_OTLP_ENDPOINT` was set at start).
 *
 * @example
 * // Skip building span attributes when nothing exports them.
 * if (!tracingEnabled()) return next(args);
 */
export function tracingEnabled(): boolean {
  return tracing !== undefined;
}

/**
 * Runs `work` in a span named `name` (a child of the active span, so of the request), ending it when
 * `work` settles and marking it failed when it throws. Without tracing it just runs `work`.
 *
 * @example
 * const buckets = await withSpan('aws.s3.list', { 'aws.account': account }, () => listBuckets(client));
 */
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span | undefined) => Promise<T> | T,
): Promise<T> {
  if (!tracing) {
    // No tracing: the plain call, without an extra promise turn (this sits on every request).
    try {
      return Promise.resolve(work(undefined));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  const { SpanStatusCode } = tracing.api;
  return tracing.tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Adds attributes to the active span (the current request's step or handler), when tracing.
 *
 * @example
 * setSpanAttributes({ 'shell.script': script.name, 'shell.exit_code': code });
 */
export function setSpanAttributes(attributes: Attributes): void {
  tracing?.api.trace.getActiveSpan()?.setAttributes(attributes);
}

/**
 * The trace id of the active span, for log and audit lines; undefined without tracing.
 *
 * @example
 * bot.log.warn({ traceId: currentTraceId() }, 'target unreachable');
 */
export function currentTraceId(): string | undefined {
  if (!tracing) return undefined;
  const { trace } = tracing.api;
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/** `{ traceId }` of the active span for a log line's bindings; `{}` without tracing. */
export function traceLogFields(): { traceId?: string } {
  const traceId = currentTraceId();
  return traceId ? { traceId } : {};
}

/** A started tracer provider; `shutdown` exports the spans still buffered. */
export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * Starts exporting traces over OTLP/HTTP (JSON) when `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set; the exporter reads the standard `OTEL_*` variables
 * (headers, timeout). The SDK is imported only then, so a bot without it loads none of it.
 */
export async function startTracing(options: {
  serviceVersion: string;
  log: Logger;
  env?: NodeJS.ProcessEnv;
}): Promise<Tracing | undefined> {
  const env = options.env ?? process.env;
  if (!env['OTEL_EXPORTER_OTLP_ENDPOINT'] && !env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) return undefined;
  const protocol = env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] ?? env['OTEL_EXPORTER_OTLP_PROTOCOL'];
  if (protocol && protocol !== 'http/json') {
    options.log.warn({ protocol }, 'OTLP traces are sent as http/json (the only protocol supported)');
  }
  const [api, sdk, { OTLPTraceExporter }, { resourceFromAttributes }, { AsyncLocalStorageContextManager }] =
    await Promise.all([
      import('@opentelemetry/api'),
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/context-async-hooks'),
    ]);
  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({
      'service.name': env['OTEL_SERVICE_NAME'] || 'chatops',
      'service.version': options.serviceVersion,
    }),
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const { context, trace } = api;
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  tracing = { tracer: provider.getTracer('@chatops/core', options.serviceVersion), api };
  options.log.info('exporting traces over OTLP/HTTP');
  return {
    async shutdown() {
      tracing = undefined;
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
