// `npm start`: install what is missing, build the app, and serve it on http://localhost:PORT (default 5173).
import { spawn, execSync } from 'node:child_process';
import { ensureNpm, root } from './ensure.mjs';

ensureNpm();
const port = process.env.PORT || '5173';
console.log('Building Wirelens…');
execSync('npx vite build --logLevel warn', { cwd: root, stdio: 'inherit' });
const server = spawn('npx', ['vite', 'preview', '--port', port, '--strictPort', '--host', '127.0.0.1', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
console.log(`Wirelens is running at http://localhost:${port}/`);
const stop = () => server.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));
