// The dashboard's built files at `/`: hashed files under /assets/ cached for
// a year as immutable, everything else (index.html) revalidated every time so
// a new build is picked up. Without a built dashboard, `/` says so.
import fs from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tau-po serve</title></head>
<body><h1>tau-po serve</h1><p>The dashboard is not built. The control API is at <code>/api/v1</code>; see <code>docs/server.md</code>.</p></body></html>
`;

/** Serves `directory` at `/`, or the not-built page when it has no index.html. */
export async function registerDashboard(app: FastifyInstance, directory: string | undefined): Promise<void> {
  const built = directory !== undefined && fs.statSync(`${directory}/index.html`, { throwIfNoEntry: false })?.isFile() === true;
  if (!built) {
    app.get('/', async (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(NOT_BUILT_PAGE),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: directory,
    prefix: '/',
    index: ['index.html'],
    dotfiles: 'deny',
    // Our own Cache-Control below.
    cacheControl: false,
    setHeaders(reply, filePath) {
      const relative = filePath.slice(directory.length).replace(/^\/+/, '');
      reply.header(
        'cache-control',
        relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}
