// Entry of the bundle. Run plainly (`node tau-po.cjs <args>`) it starts at
// once; run while Node builds a startup snapshot (scripts/build-launcher.mjs)
// it only registers the entry point, so the snapshot holds every module
// already initialised and `node --snapshot-blob <blob> -- <args>` skips that
// work. In a snapshot process argv has no script path: args start at [1].
import v8 from 'node:v8';
import { runTauPoProcess } from './tau-po-process.js';

if (v8.startupSnapshot.isBuildingSnapshot()) {
  v8.startupSnapshot.setDeserializeMainFunction(() => {
    void runTauPoProcess(process.argv.slice(1));
  });
} else {
  void runTauPoProcess(process.argv.slice(2));
}
