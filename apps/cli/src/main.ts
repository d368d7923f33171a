// Entry of the bundle. Run plainly (`node tau-po.cjs <args>`) it starts at
// once. Run while Node builds a startup snapshot (scripts/build-launcher.mjs)
// it registers the entry point and warms the control path up, so the snapshot
// holds every module initialised and the hot code compiled, and
// `node --snapshot-blob <blob> -- <args>` skips that work. In a snapshot
// process argv has no script path: the arguments start at [1].
import v8 from 'node:v8';
import { warmUpForSnapshot } from './snapshot-warm-up.js';
import { requestStartupSnapshotBuild } from './startup-snapshot-request.js';
import { runTauPoProcess } from './tau-po-process.js';

if (v8.startupSnapshot.isBuildingSnapshot()) {
  v8.startupSnapshot.setDeserializeMainFunction(() => {
    void runTauPoProcess(process.argv.slice(1));
  });
  warmUpForSnapshot().catch((error: unknown) => {
    // Fails the snapshot build; the launcher then runs the plain bundle.
    console.error('snapshot warm-up failed:', error);
    process.exitCode = 1;
  });
} else {
  requestStartupSnapshotBuild();
  void runTauPoProcess(process.argv.slice(2));
}
