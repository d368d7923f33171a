// A child process for crash tests: saves one checkpoint through the real
// package (argv: path, checkpoint JSON, "digest" or "plain"). The tests run it
// under TAU_PO_FAILPOINT and check what it left behind.
import { formatErrorChain } from '@tau/schemas';
import { saveCheckpoint } from '../index.js';

const [filePath, checkpointJson, mode] = process.argv.slice(2);
try {
  saveCheckpoint(filePath as string, JSON.parse(checkpointJson as string), { digest: mode === 'digest' });
} catch (error) {
  process.stderr.write(`${formatErrorChain(error)}\n`);
  process.exitCode = 1;
}
