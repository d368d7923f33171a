import type {
  ApiAuditPageRow,
  ApiCheckpoints,
  ApiRecoveryReportEnvelope,
  ApiStateEvent,
  ApiStatusEvent,
  ApiWhoami,
  AuditVerificationDocument,
  ControlReport,
  ControlState,
  DoctorReportDocument,
  TrainingStatus,
} from '@tau/schemas';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ActionBar } from './action-bar.js';
import { AuditTable, type AuditRowListener } from './audit-table.js';
import { CheckpointCards } from './checkpoint-cards.js';
import { runPath, type ControlApiClient } from './control-api-client.js';
import { DoctorChecks } from './doctor-checks.js';
import { LOADING, type Loaded } from './loaded-value.js';
import { LifecyclePanel } from './lifecycle-panel.js';
import { PermissionsPanel } from './permissions-panel.js';
import { RecoveryReportPanel } from './recovery-report-panel.js';
import { openRunEventStream, type StreamConnection } from './run-event-stream.js';
import { TrainingStatusPanel } from './training-status-panel.js';

export interface RunViewProps {
  client: ControlApiClient;
  run: string;
  onError(error: unknown): void;
}

// Reads that follow an audit row are folded: one refresh per burst of rows.
const DETAILS_REFRESH_DELAY_MS = 150;
// When the stream has not connected this long after the first audit page, the slow reads start anyway.
const SLOW_READS_FALLBACK_MS = 1500;
const SLOW_READS_PAUSE_FACTOR = 4;
const SLOW_READS_MAX_PAUSE_MS = 60_000;

const CONNECTION_TEXT: Record<StreamConnection, string> = {
  connecting: 'Live updates: connecting…',
  live: 'Live updates: connected',
  reconnecting: 'Live updates: reconnecting…',
};

/** Everything about one run, kept current by its event stream. */
export function RunView({ client, run, onError }: RunViewProps) {
  const [whoami, setWhoami] = useState<Loaded<ApiWhoami>>(LOADING);
  const [controlState, setControlState] = useState<Loaded<ControlState | null>>(LOADING);
  const [trainingStatus, setTrainingStatus] = useState<Loaded<TrainingStatus | null>>(LOADING);
  const [checkpoints, setCheckpoints] = useState<Loaded<ApiCheckpoints>>(LOADING);
  const [report, setReport] = useState<Loaded<ApiRecoveryReportEnvelope>>(LOADING);
  const [doctor, setDoctor] = useState<Loaded<DoctorReportDocument>>(LOADING);
  const [verification, setVerification] = useState<Loaded<AuditVerificationDocument>>(LOADING);
  const [connection, setConnection] = useState<StreamConnection>('connecting');
  const [streamFrom, setStreamFrom] = useState<number | undefined>(undefined);
  const auditListeners = useRef(new Set<AuditRowListener>());
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const load = useCallback(
    <T,>(route: string, set: (value: Loaded<T>) => void): Promise<void> =>
      client.get<T>(runPath(run, route)).then(
        (value) => set({ state: 'ok', value }),
        (error: unknown) => {
          set({ state: 'failed', error });
          onError(error);
        },
      ),
    [client, run, onError],
  );

  const refreshStatus = useCallback(
    (): Promise<void> =>
      client.get<ControlReport>(runPath(run, '/status')).then(
        (status) => {
          setControlState({ state: 'ok', value: status.control_state });
          setTrainingStatus({ state: 'ok', value: status.training_status });
        },
        (error: unknown) => {
          setControlState({ state: 'failed', error });
          setTrainingStatus({ state: 'failed', error });
          onError(error);
        },
      ),
    [client, run, onError],
  );

  // status, audit/verify and doctor replay or hash the whole audit log on the
  // server (seconds at 1M rows, on its one thread, holding up every other
  // request): they start only once the run is on screen (the stream brings the
  // lifecycle and training status first) and go one after another, so a page
  // turn or an action can slip in between. Calls while they run fold into one more pass.
  // A pass that took T ms is followed by a pause of SLOW_READS_PAUSE_FACTOR * T
  // (at most SLOW_READS_MAX_PAUSE_MS) before the next: instant on a small log,
  // and on a huge one each open page keeps the server busy a fifth of the time at most.
  const slowReads = useRef({ started: false, running: false, again: false, mounted: true, nextPassAt: 0 });
  const refreshSlowReads = useCallback(async () => {
    const reads = slowReads.current;
    reads.started = true;
    if (reads.running) {
      reads.again = true;
      return;
    }
    reads.running = true;
    try {
      do {
        const pause = reads.nextPassAt - performance.now();
        if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
        if (!reads.mounted) return;
        reads.again = false;
        const started = performance.now();
        await refreshStatus();
        await load('/audit/verify', setVerification);
        await load('/doctor', setDoctor);
        const took = performance.now() - started;
        reads.nextPassAt = performance.now() + Math.min(SLOW_READS_MAX_PAUSE_MS, took * SLOW_READS_PAUSE_FACTOR);
      } while (reads.again && reads.mounted);
    } finally {
      reads.running = false;
    }
  }, [load, refreshStatus]);

  const refreshDetails = useCallback(() => {
    void load('/checkpoints', setCheckpoints);
    void load('/recovery-report', setReport);
    void refreshSlowReads();
  }, [load, refreshSlowReads]);

  const scheduleRefresh = useCallback(() => {
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(refreshDetails, DETAILS_REFRESH_DELAY_MS);
  }, [refreshDetails]);

  useEffect(() => {
    const reads = slowReads.current;
    reads.mounted = true;
    void load('/whoami', setWhoami);
    void load('/checkpoints', setCheckpoints);
    void load('/recovery-report', setReport);
    return () => {
      reads.mounted = false;
      clearTimeout(refreshTimer.current);
    };
  }, [load, refreshSlowReads]);

  // Without a stream the slow reads still come: when the first audit page fails
  // (the stream starts from it), or when the stream has not connected in time.
  const onAuditError = useCallback(
    (error: unknown) => {
      if (!slowReads.current.started) void refreshSlowReads();
      onError(error);
    },
    [refreshSlowReads, onError],
  );
  useEffect(() => {
    if (streamFrom === undefined) return undefined;
    const fallback = setTimeout(() => {
      if (!slowReads.current.started) void refreshSlowReads();
    }, SLOW_READS_FALLBACK_MS);
    return () => clearTimeout(fallback);
  }, [streamFrom, refreshSlowReads]);

  // The stream starts once the first audit page is on screen, from its newest row, so no row falls between.
  useEffect(() => {
    if (streamFrom === undefined) return undefined;
    return openRunEventStream(client, run, streamFrom, {
      onConnection: (next) => {
        setConnection(next);
        // Back after a gap (a server restart, say): re-read what events do not carry.
        if (next === 'live') scheduleRefresh();
      },
      onUnauthorized: onError,
      onEvent: (event) => {
        try {
          if (event.event === 'audit') {
            const row = JSON.parse(event.data) as ApiAuditPageRow;
            for (const listener of auditListeners.current) listener(row);
            scheduleRefresh();
          } else if (event.event === 'state') {
            setControlState({ state: 'ok', value: (JSON.parse(event.data) as ApiStateEvent).control_state });
          } else if (event.event === 'status') {
            setTrainingStatus({ state: 'ok', value: (JSON.parse(event.data) as ApiStatusEvent).training_status });
          }
        } catch {
          // An event we cannot read changes nothing; the next full read corrects the page.
        }
      },
    });
  }, [client, run, streamFrom, onError, scheduleRefresh]);

  const subscribeAudit = useCallback((listener: AuditRowListener) => {
    auditListeners.current.add(listener);
    return () => auditListeners.current.delete(listener);
  }, []);

  // The action's own document carries the new control state and training status: shown at once.
  const afterAction = useCallback(
    (report: ControlReport) => {
      setControlState({ state: 'ok', value: report.control_state });
      setTrainingStatus({ state: 'ok', value: report.training_status });
      refreshDetails();
    },
    [refreshDetails],
  );

  return (
    <article class="run" aria-labelledby="run-heading">
      <div class="run-heading">
        <h1 id="run-heading">
          Run <span class="run-name">{run}</span>
        </h1>
        <p class={`connection connection-${connection}`} role="status">
          <span aria-hidden="true">{connection === 'live' ? '● ' : '○ '}</span>
          {CONNECTION_TEXT[connection]}
        </p>
      </div>
      <PermissionsPanel whoami={whoami} />
      <ActionBar client={client} run={run} whoami={whoami.state === 'ok' ? whoami.value : undefined} checkpoints={checkpoints} onDone={afterAction} onError={onError} />
      <div class="panels">
        <LifecyclePanel controlState={controlState} />
        <TrainingStatusPanel trainingStatus={trainingStatus} />
        <RecoveryReportPanel report={report} />
        <DoctorChecks doctor={doctor} />
      </div>
      <CheckpointCards checkpoints={checkpoints} />
      <AuditTable client={client} run={run} verification={verification} subscribe={subscribeAudit} onFirstPage={setStreamFrom} onError={onAuditError} />
    </article>
  );
}
