// Copies the dashboard's built files into dist/dashboard/, where `tau-po serve`
// looks by default. Turbo builds the dashboard first (turbo.json); a CLI built
// alone, without it, serves the "dashboard is not built" page.
import fs from 'node:fs';

const source = new URL('../../dashboard/dist/', import.meta.url);
const target = new URL('../dist/dashboard/', import.meta.url);
fs.rmSync(target, { recursive: true, force: true });
if (fs.existsSync(new URL('index.html', source))) {
  fs.cpSync(source, target, { recursive: true });
} else {
  console.warn('apps/dashboard/dist has no index.html: tau-po serve will say the dashboard is not built');
}
