// The server's Prometheus metrics (prom-client), on a registry of its own so
// two servers in one process (tests) do not share counters.
import client from 'prom-client';

/** The metrics one server exports at /metrics. */
export interface ServerMetrics {
  registry: client.Registry;
  /** Control commands answered, by action and outcome (`ok`, or the HTTP status class reason). */
  commands: client.Counter<'action' | 'outcome'>;
  /** Time to decide (authorize, load, replay, decide) a command, by action. */
  decisionSeconds: client.Histogram<'action'>;
  /** Time of a mutating command from the request to its commit, by action. */
  commitSeconds: client.Histogram<'action'>;
  /** Commands refused because the state directory was locked by another process. */
  lockWaits: client.Counter<'run'>;
  /** Complete audit rows of each run, as last indexed. */
  auditRows: client.Gauge<'run'>;
  /** HTTP requests by route and status. */
  requests: client.Counter<'route' | 'status'>;
  /** Failed authentications, by why (malformed, unknown, mismatch, revoked, expired, missing). */
  failedAuth: client.Counter<'reason'>;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A fresh registry with the process metrics and the server's own. */
export function createServerMetrics(): ServerMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'tau_po_serve_' });
  return {
    registry,
    commands: new client.Counter({
      name: 'tau_po_commands_total',
      help: 'Control commands answered, by action and outcome (ok, usage, denied, guardrail, busy, failure).',
      labelNames: ['action', 'outcome'],
      registers: [registry],
    }),
    decisionSeconds: new client.Histogram({
      name: 'tau_po_decision_seconds',
      help: 'Time to answer a read-only command or a dry run (authorize, load, replay, decide).',
      labelNames: ['action'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    commitSeconds: new client.Histogram({
      name: 'tau_po_commit_seconds',
      help: 'Time of a mutating command, lock to commit, as the server saw it.',
      labelNames: ['action'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    lockWaits: new client.Counter({
      name: 'tau_po_lock_busy_total',
      help: 'Commands refused (409) because another process held the state-directory lock.',
      labelNames: ['run'],
      registers: [registry],
    }),
    auditRows: new client.Gauge({
      name: 'tau_po_audit_rows',
      help: 'Complete rows of the run\'s audit log, as last indexed.',
      labelNames: ['run'],
      registers: [registry],
    }),
    requests: new client.Counter({
      name: 'tau_po_http_requests_total',
      help: 'HTTP requests, by route pattern and status code.',
      labelNames: ['route', 'status'],
      registers: [registry],
    }),
    failedAuth: new client.Counter({
      name: 'tau_po_failed_authentications_total',
      help: 'Requests refused with 401 or 429, by reason.',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}

/** The outcome label of an exit code. */
export function outcomeLabel(exitCode: number): string {
  return ['ok', 'failure', 'usage', 'denied', 'guardrail', 'busy'][exitCode] ?? 'failure';
}
