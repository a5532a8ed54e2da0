import { tracingEnabled, withSpan } from '@chatops/core';

type Call = (args: unknown) => Promise<unknown>;

/** The part of an AWS SDK v3 client this needs: its middleware stack. */
interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: Call, context: { clientName?: string; commandName?: string }) => Call,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

/**
 * Makes each call of an AWS SDK client a span (`S3.ListBuckets`) of the request that made it, when
 * traces are exported; otherwise the call goes straight through.
 */
export function traceAwsCalls<C>(client: C): C {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, context) => (args) => {
      if (!tracingEnabled()) return next(args);
      const service = (context.clientName ?? 'AWS').replace(/Client$/, '');
      const method = (context.commandName ?? 'call').replace(/Command$/, '');
      return withSpan(
        `${service}.${method}`,
        { 'rpc.system': 'aws-api', 'rpc.service': service, 'rpc.method': method },
        () => next(args),
      );
    },
    { step: 'initialize', name: 'chatopsTracing' },
  );
  return client;
}
